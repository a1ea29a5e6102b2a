"""The environments this repo manages, and the names a user may type for them."""

from dataclasses import dataclass

from tbctl.errors import UserError


@dataclass(frozen=True)
class Environment:
    short: str  # dev, prod: used in resource names and file names
    name: str  # development, production: the Terraform root's folder

    @property
    def production(self) -> bool:
        return self.short == "prod"


ENVIRONMENTS = {
    "dev": Environment("dev", "development"),
    "prod": Environment("prod", "production"),
}
ALIASES = {"dev": "dev", "development": "dev", "prod": "prod", "production": "prod"}
VALID = ", ".join(ALIASES)


def resolve(name: str | None, allow_all: bool = False) -> list[Environment]:
    """Environments named by `name`; `all` means every one when the command allows it."""
    if not name:
        raise UserError("no environment given", f"pass ENV=<name> with one of: {VALID}")
    key = name.strip().lower()
    if allow_all and key == "all":
        return list(ENVIRONMENTS.values())
    if key not in ALIASES:
        extra = ", all" if allow_all else ""
        raise UserError(f"unknown environment '{name}'", f"use ENV= one of: {VALID}{extra}")
    return [ENVIRONMENTS[ALIASES[key]]]


def one(name: str | None) -> Environment:
    return resolve(name)[0]

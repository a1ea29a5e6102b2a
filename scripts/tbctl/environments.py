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


def resolve(name: str | None, allow_all: bool = False, variable: str = "ENV") -> list[Environment]:
    """Environments named by `name`; `all` means every one when the command allows it.

    `variable` is the make variable the user sets (FROM and TO for config-sync), so the fix names it.
    """
    if not name:
        raise UserError("no environment given" + (f" in {variable}" if variable != "ENV" else ""),
                        f"pass {variable}=<name> with one of: {VALID}")
    key = name.strip().lower()
    if allow_all and key == "all":
        return list(ENVIRONMENTS.values())
    if key not in ALIASES:
        extra = ", all" if allow_all else ""
        raise UserError(f"unknown environment '{name}'" + (f" in {variable}" if variable != "ENV" else ""),
                        f"use {variable}= one of: {VALID}{extra}")
    return [ENVIRONMENTS[ALIASES[key]]]


def one(name: str | None, variable: str = "ENV") -> Environment:
    return resolve(name, variable=variable)[0]

"""Render a service's task definition from task-definitions/<service>.json.j2.

The context holds each value once: `tf` (the environment's Terraform
outputs), `release` (git tag, commit, image) and `env`. Jinja runs with
StrictUndefined, so a missing value fails naming the template, its line and
the variable. The result is the RegisterTaskDefinition request, with the
release's tags added.
"""

import json
from pathlib import Path

from tbctl import paths
from tbctl.errors import UserError

SUFFIX = ".json.j2"


class Names(dict):
    """A dict that knows its name in the template, so errors say `tf.cpuu`, not `dict object`."""

    def __init__(self, label: str, values: dict):
        super().__init__(values)
        self.label = label


def services(folder: Path | None = None) -> list[str]:
    """Every service with a template: adding a template adds a service."""
    folder = folder or paths.templates_dir()
    return sorted(p.name[: -len(SUFFIX)] for p in folder.glob(f"*{SUFFIX}"))


def template_path(service: str, folder: Path | None = None) -> Path:
    folder = folder or paths.templates_dir()
    path = folder / f"{service}{SUFFIX}"
    if not path.is_file():
        known = ", ".join(services(folder)) or "none"
        raise UserError(f"no template {path.name} in {folder}", f"use one of the services with a template: {known}")
    return path


def context(outputs: dict, release, env) -> dict:
    image = f"{outputs['repository_url']}:{release.image_tag}"
    return {
        "tf": Names("tf", outputs),
        "release": Names("release", {"tag": release.tag, "commit": release.commit, "image_tag": release.image_tag,
                                     "image": image}),
        "env": Names("env", {"short": env.short, "name": env.name}),
    }


def _environment(folder: Path):
    import jinja2

    class Strict(jinja2.StrictUndefined):
        @property
        def _undefined_message(self) -> str:
            owner = self._undefined_obj
            if isinstance(owner, Names) and isinstance(self._undefined_name, str):
                return f"'{owner.label}.{self._undefined_name}' is undefined"
            return super()._undefined_message

    def tojson(value):
        if isinstance(value, jinja2.Undefined):
            value._fail_with_undefined_error()
        return json.dumps(value)

    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), undefined=Strict,
                                     keep_trailing_newline=True, autoescape=False)
    environment.filters["tojson"] = tojson
    return environment


def _template_line(exc: BaseException, filename: str) -> int | None:
    """The template line an error was raised on: Jinja maps its frames to the template's lines."""
    line = None
    tb = exc.__traceback__
    while tb:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def render_text(path: Path, values: dict) -> str:
    import jinja2

    try:
        template = _environment(path.parent).get_template(path.name)
        return template.render(**values)
    except jinja2.TemplateSyntaxError as exc:
        raise UserError(f"template {path.name} line {exc.lineno}: syntax error: {exc.message}",
                        f"fix line {exc.lineno} of {path}") from None
    except jinja2.UndefinedError as exc:
        line = _template_line(exc, str(path))
        where = f"template {path.name} line {line}" if line else f"template {path.name}"
        raise UserError(f"{where}: {exc.message}",
                        "use a value the context has (tf.<terraform output>, release.tag/commit/image, env.short/name) or add the output to Terraform") from None


def parse(text: str, name: str) -> dict:
    try:
        document = json.loads(text)
    except ValueError as exc:
        lines = text.splitlines()
        shown = lines[exc.lineno - 1].strip() if 0 < exc.lineno <= len(lines) else ""
        raise UserError(f"{name} does not render to valid JSON: {exc.msg} at rendered line {exc.lineno} column {exc.colno} ({shown!r})",
                        "fix the template (use `| tojson` for values; mind commas); `make render` saves the output under build/") from None
    if not isinstance(document, dict):
        raise UserError(f"{name} renders to a JSON {type(document).__name__}, not an object", "the template must render one JSON object")
    return document


def with_tags(request: dict, tags: dict[str, str]) -> dict:
    """The request with the release's tags merged over any the template set."""
    merged = {item["key"]: item["value"] for item in request.get("tags", []) if isinstance(item, dict) and "key" in item}
    merged.update(tags)
    return dict(request, tags=[{"key": key, "value": merged[key]} for key in sorted(merged)])


def render(service: str, outputs: dict, release, env, folder: Path | None = None) -> dict:
    """The RegisterTaskDefinition request for `service` in `env`, tags included (not yet validated)."""
    path = template_path(service, folder)
    text = render_text(path, context(outputs, release, env))
    return with_tags(parse(text, path.name), release.aws_tags(env.name))


def save(request: dict, service: str, env, target) -> Path:
    path = paths.build(target.name, env.name, "task-definitions") / f"{service}.json"
    path.write_text(json.dumps(request, indent=2) + "\n")
    return path

"""Every Terraform module's README lists each of its variables and outputs with the description the code gives.

The tables sit between markers in each README and are written from variables.tf and outputs.tf:
`python tests/unit/test_module_readmes.py` rewrites them after a change; this test fails until then.
"""

import re
import sys
from pathlib import Path

import pytest

MODULES = Path(__file__).resolve().parents[2] / "infrastructure" / "modules"
BEGIN, END = "<!-- BEGIN inputs and outputs (written from the .tf files by tests/unit/test_module_readmes.py) -->", "<!-- END inputs and outputs -->"
BLOCK = re.compile(r'^(variable|output) "([^"]+)" \{\n(.*?)^\}', re.M | re.S)
DESCRIPTION = re.compile(r'^  description = (?:"((?:[^"\\]|\\.)*)"|<<-?(\w+)\n(.*?)^\s*\2$)', re.M | re.S)


def declared(module: Path, kind: str) -> list[tuple[str, str, str]]:
    """(name, description, default) of each variable or output, in file order."""
    path = module / ("variables.tf" if kind == "variable" else "outputs.tf")
    found = []
    for block_kind, name, body in BLOCK.findall(path.read_text() if path.exists() else ""):
        match = DESCRIPTION.search(body)
        text = "" if not match else (match.group(1).replace('\\"', '"') if match.group(1) is not None else match.group(3))
        default = re.search(r"^  default\s*=\s*(.+)$", body, re.M)
        required = "" if kind == "output" else ("required" if not default else f"`{default.group(1).strip()}`")
        found.append((name, " ".join(text.split()).replace("|", "\\|"), required))
    return found


def tables(module: Path) -> str:
    lines = [BEGIN, "", "### Inputs", "", "| Name | Description | Default |", "| --- | --- | --- |"]
    lines += [f"| `{name}` | {text} | {default} |" for name, text, default in declared(module, "variable")]
    lines += ["", "### Outputs", "", "| Name | Description |", "| --- | --- |"]
    lines += [f"| `{name}` | {text} |" for name, text, _ in declared(module, "output")]
    return "\n".join(lines + ["", END])


def current(readme: str) -> str | None:
    if BEGIN not in readme or END not in readme:
        return None
    return readme[readme.index(BEGIN):readme.index(END) + len(END)]


@pytest.mark.parametrize("module", sorted(p for p in MODULES.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_the_readme_lists_every_variable_and_output_as_the_code_describes_it(module):
    readme = module / "README.md"
    assert readme.exists(), f"{module.name} has no README.md"
    assert declared(module, "variable") or declared(module, "output"), f"{module.name} declares nothing"
    for kind in ("variable", "output"):
        for name, text, _ in declared(module, kind):
            assert text, f"{module.name}: {kind} {name} has no description"
    assert current(readme.read_text()) == tables(module), (
        f"infrastructure/modules/{module.name}/README.md disagrees with its variables/outputs: "
        "run `python tests/unit/test_module_readmes.py`")


def test_a_variable_missing_from_the_table_is_found(tmp_path):
    module = tmp_path / "m"
    module.mkdir()
    (module / "variables.tf").write_text('variable "a" {\n  description = "A \\"quoted\\" thing."\n  type        = string\n}\n')
    (module / "README.md").write_text(tables(module))
    assert '| `a` | A "quoted" thing. | required |' in current((module / "README.md").read_text())
    (module / "variables.tf").write_text((module / "variables.tf").read_text() + 'variable "b" {\n  description = <<-EOT\n    Two\n    lines.\n  EOT\n  default = 3\n}\n')
    assert current((module / "README.md").read_text()) != tables(module)
    assert "| `b` | Two lines. | `3` |" in tables(module)


if __name__ == "__main__":
    for folder in sorted(p for p in MODULES.iterdir() if p.is_dir()):
        path = folder / "README.md"
        text = path.read_text() if path.exists() else f"# {folder.name}\n"
        old = current(text)
        text = text.replace(old, tables(folder)) if old else text.rstrip() + "\n\n## Inputs and outputs\n\n" + tables(folder) + "\n"
        path.write_text(text)
        print(f"wrote {path.relative_to(MODULES.parents[1])}", file=sys.stderr)

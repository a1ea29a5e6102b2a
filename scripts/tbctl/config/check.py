"""Validate the documents: each against its JSON Schema, then the rules that span fields and documents.

Every problem is collected before anything is reported, so one run shows them
all, each with its JSON path (`strategies[0].risk_limits.stop_loss_pct`).
"""

import re
import sys
from dataclasses import dataclass

from tbctl.config import documents
from tbctl.errors import UserError

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Problem:
    file: str
    path: str  # JSON path inside the document; "" for the document itself
    message: str
    fix: str | None = None  # a fix of its own (a file that cannot be read); otherwise the generic one

    def __str__(self) -> str:
        if not self.path and self.message.startswith(f"{self.file} "):
            return self.message  # already names the file: "config/x.json is not valid JSON: ..."
        return f"{self.file}: {self.path or '(document)'}: {self.message}"


def json_path(parts) -> str:
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _IDENTIFIER.match(part):
            text += f".{part}" if text else part
        else:
            text += f"[{part!r}]"
    return text


def _schema_problems(doc: documents.Document, schema: dict) -> list[Problem]:
    from jsonschema import Draft202012Validator

    found = []
    for error in Draft202012Validator(schema).iter_errors(doc.data):
        where = list(error.absolute_path)
        if error.validator == "required":
            missing = re.match(r"^'(.+)' is a required property$", error.message)
            if missing:
                found.append(Problem(doc.label, json_path(where + [missing.group(1)]), "is required but missing"))
                continue
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = error.schema.get("properties", {})
            for key in sorted(set(error.instance) - set(allowed)):
                found.append(Problem(doc.label, json_path(where + [key]),
                                     f"unknown key (allowed: {', '.join(allowed)})"))
            continue
        if error.schema.get("x-secret-reference") if isinstance(error.schema, dict) else False:
            # Never echo the value: it may be the very secret that must not be here.
            found.append(Problem(doc.label, json_path(where),
                                 "must name a Secrets Manager secret (name or ARN), never hold the value (value not shown)"))
            continue
        found.append(Problem(doc.label, json_path(where), error.message))
    return found


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _items(data, key: str) -> list[tuple[int, dict]]:
    items = data.get(key) if isinstance(data, dict) else None
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)] if isinstance(items, list) else []


def _sizing_problems(doc) -> list[Problem]:
    sizing = doc.data.get("position_sizing") if isinstance(doc.data, dict) else None
    if not isinstance(sizing, dict):
        return []
    default, maximum = sizing.get("default_size_pct"), sizing.get("max_size_pct")
    if _number(default) and _number(maximum) and 0 <= maximum < default <= 1:
        return [Problem(doc.label, "position_sizing.default_size_pct",
                        f"{default} is greater than position_sizing.max_size_pct ({maximum})")]
    return []


def _unique_problems(doc, key: str, field: str) -> list[Problem]:
    found, first = [], {}
    for index, item in _items(doc.data, key):
        value = item.get(field)
        if not isinstance(value, str):
            continue
        if value in first:
            found.append(Problem(doc.label, f"{key}[{index}].{field}",
                                 f"duplicate {field} '{value}' (first at {key}[{first[value]}])"))
        else:
            first[value] = index
    return found


def _symbol_problems(strategies, symbols) -> list[Problem]:
    pairs = {item.get("symbol"): (index, item) for index, item in reversed(_items(symbols.data, "trading_pairs"))}
    found = []
    for index, strategy in _items(strategies.data, "strategies"):
        symbol = strategy.get("symbol")
        if not isinstance(symbol, str):
            continue
        where = f"strategies[{index}].symbol"
        if symbol not in pairs:
            found.append(Problem(strategies.label, where, f"'{symbol}' is not a trading pair in {symbols.label}"))
        elif pairs[symbol][1].get("enabled") is not True:
            found.append(Problem(strategies.label, where,
                                 f"'{symbol}' is disabled in {symbols.label} (trading_pairs[{pairs[symbol][0]}])"))
    return found


def problems(docs: list[documents.Document]) -> list[Problem]:
    """Every problem in one environment's documents: schema first, then the cross-field and cross-document rules."""
    by_name = {doc.name: doc for doc in docs}
    found = []
    for doc in docs:
        found += sorted(_schema_problems(doc, documents.schema(doc.name)), key=lambda p: p.path)
    rules = []
    if "risk-params" in by_name:
        rules += _sizing_problems(by_name["risk-params"])
    if "symbols-config" in by_name:
        rules += _unique_problems(by_name["symbols-config"], "trading_pairs", "symbol")
    if "strategy-config" in by_name:
        rules += _unique_problems(by_name["strategy-config"], "strategies", "name")
    symbols = by_name.get("symbols-config")
    # The cross-document rule needs a trading-pair list the schema accepted; otherwise it only repeats those problems.
    if "strategy-config" in by_name and symbols and not any(p.file == symbols.label for p in found):
        rules += _symbol_problems(by_name["strategy-config"], symbols)
    # A value the schema already rejected gets one problem, not a second from a rule built on it.
    rejected = {(p.file, p.path) for p in found}
    found += [p for p in rules if (p.file, p.path) not in rejected]
    order = {doc.label: index for index, doc in enumerate(docs)}
    return sorted(found, key=lambda p: order.get(p.file, len(order)))  # stable: grouped by document


def check_environment(source) -> tuple[list[documents.Document], list[Problem]]:
    """Load and check one environment's files; unreadable files are problems too, so every one is reported."""
    docs, found = [], []
    for name in documents.NAMES:
        path = source.path(f"{name}.json")
        try:
            docs.append(documents.Document(name, path, source.document(name)))
        except UserError as error:
            found.append(Problem(documents.label(path), "", error.problem, error.fix))
    for path in source.unknown():
        found.append(Problem(documents.label(path), "",
                             f"not a config document (expected one of: {', '.join(documents.NAMES)})"))
    return docs, found + problems(docs)


def require_valid(sources, out=None) -> dict:
    """{env short: documents} when every document of every source (see config.source) is valid; otherwise list the problems and fail."""
    loaded, found = {}, []
    for source in sources:
        docs, env_problems = check_environment(source)
        loaded[source.env.short] = docs
        found += env_problems
    if not found:
        return loaded
    for problem in found:
        print(problem, file=out or sys.stdout)
    files = sorted({p.file for p in found})
    if len(found) == 1:
        summary = f"invalid config document: {found[0]}"
    else:
        summary = (f"{len(found)} problems in {len(files)} config document{'s' if len(files) > 1 else ''}: "
                   + "; ".join(f"{p.file} {p.path or '(document)'}" for p in found))
    fix = found[0].fix if len(found) == 1 and found[0].fix else "correct the values listed above and re-run make config-check"
    raise UserError(summary, fix)

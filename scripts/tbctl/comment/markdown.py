"""The comment's markdown, dangers first, as parts the truncation step can shorten.

1 heading (environment + result), 2 summary line, 3 what is destroyed or
replaced and why, and every change this tool cannot render in detail - these
are `keep` parts, never cut - then 4 resources by action, 5 drift, 6 outputs,
7 cost, 8 checkov, 9 the full plan text, and a footer with the hidden marker
that finds this comment again. Every line made from the plan goes through the
masker before it is wrapped in markup (build.py masks every part's lines once
more, in one place). A plan Terraform did not finish never reads "no changes".
"""

import json
import re
from dataclasses import dataclass

from tbctl.comment.inline import code, plain
from tbctl.comment.attributes import UNKNOWN, changes, show, show_pair
from tbctl.comment.mask import MASK, Masker
from tbctl.comment.reasons import Danger, path_text
from tbctl.comment.summarize import ACTIONS, OUTPUT_ACTIONS, Summary, actions_of
from tbctl.comment.truncate import Part

COLLAPSE_OVER = 10  # groups longer than this are collapsed
ATTRIBUTES_PER_RESOURCE = 6
LINE_CHARS = 1_000  # one very long line (a policy on one line) must not eat the budget
GROUP_TITLES = {"replace": "Replace", "destroy": "Destroy", "add": "Add", "change": "Change in place",
                "move": "Move", "import": "Import", "forget": "Forget (stays in AWS, no longer managed)"}


def marker(env_short: str) -> str:
    return f"<!-- tbctl-plan:{env_short} -->"


def fence_for(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    return "`" * (longest + 1)


@dataclass
class View:
    """Everything the comment shows, already computed (and masked where it came from the plan)."""
    env_name: str
    env_short: str
    target: str
    masker: Masker
    plan: dict | None
    summary: Summary | None
    dangers: list
    drift: list
    cost: object
    checkov: object
    plan_text: str | None
    error: str | None
    where: str | None  # where the full plan is (the CI artifact), or None when run locally
    commit: str | None = None
    incomplete: str | None = None  # why Terraform did not finish this plan (build.incomplete)
    errored: bool = False  # ... and whether that was an error
    refresh_only: bool = False

    @property
    def result(self) -> str:
        if self.error is not None:
            return "failed"
        if self.incomplete is not None:
            return "failed (incomplete plan)" if self.errored else "incomplete"
        if self.summary is None or self.summary.empty:
            if self.refresh_only and any(d.relevant for d in self.drift):
                return "refresh-only, changed outside Terraform"
            return "no changes"
        count = self.summary.changes
        if not count:
            return "output changes only"
        return f"{count} change{'s' if count != 1 else ''}"


def _heading(view: View) -> Part:
    place = " (local emulator)" if view.target == "local" else ""
    danger = ""
    if view.dangers:
        replaced = sum(1 for d in view.dangers if d.action == "replace")
        destroyed = len(view.dangers) - replaced
        bits = [f"{destroyed} to destroy" if destroyed else "", f"{replaced} to replace" if replaced else ""]
        danger = " ⚠️ " + ", ".join(b for b in bits if b)
    heading = f"### Terraform plan: {view.env_name}{place}: {view.result}{danger}"
    relevant = [d for d in view.drift if d.relevant]
    outside = f"{len(relevant)} resource{'s' if len(relevant) != 1 else ''} changed outside Terraform (below)."
    if view.error is not None:
        first = next((line.strip() for line in view.error.splitlines() if line.strip()), "no error text")
        line = f"**Plan failed:** {plain(view.masker.text(first))}"
    elif view.incomplete is not None:
        so_far = f" Planned so far: {view.summary.line()}." if view.summary is not None else ""
        label = "Plan failed" if view.errored else "Plan incomplete"
        line = f"**{label}:** {view.incomplete}; this is not everything an apply would do.{so_far}"
    elif view.summary is None or view.summary.empty:
        if view.refresh_only and relevant:
            line = f"**Plan (refresh-only):** no changes to AWS; applying records in the state that {outside}"
        else:
            line = "**Plan:** no changes; the infrastructure matches the configuration."
            if relevant:
                line += f" {outside}"
    else:
        mode = (" (refresh-only: applying changes only the state, not AWS)" if view.refresh_only else "")
        line = f"**Plan{mode}:** {view.summary.line()}."
    return Part("Heading", head=f"{heading}\n{line}", keep=True)


def _dangers(dangers: list[Danger], masker: Masker) -> Part | None:
    if not dangers:
        return None
    lines = [masker.text(f"- **{d.action}** {code(d.address)}: {d.reason}") for d in dangers]  # reasons.py made it safe
    return Part("Destroyed or replaced", head="**Destroyed or replaced (check these first):**\n", lines=lines,
                keep=True, unit="resources")


def _unrendered(summary: Summary | None, masker: Masker) -> Part | None:
    """The changes this tool cannot show in detail, each named: never silence."""
    if summary is None or not summary.unrendered:
        return None
    count = len(summary.unrendered)
    title = f"{count} change{'s' if count != 1 else ''} of a kind this tool does not render"
    lines = [masker.text(f"- {code(item.address)} ({plain(item.kind)})")[:LINE_CHARS] for item in summary.unrendered]
    return Part(title, head=f"**{title}** (the full plan shows them):\n", lines=lines, keep=True, unit="changes")


def _checks(plan: dict | None, masker: Masker) -> Part | None:
    """Failed `check` blocks, preconditions and postconditions: Terraform's own record of why a plan is wrong.

    For a check block a failure is only a warning, and for an errored plan's JSON it is the only
    record of the cause, so every failing one is named with its messages.
    """
    failing = [c for c in (plan or {}).get("checks") or [] if isinstance(c, dict) and c.get("status") in ("fail", "error")]
    if not failing:
        return None
    lines = []
    for check in failing:
        address = (check.get("address") or {}).get("to_display") or "?"
        problems = [p.get("message", "") for i in check.get("instances") or [] if isinstance(i, dict)
                    for p in i.get("problems") or [] if isinstance(p, dict)]
        detail = "; ".join(dict.fromkeys(m for m in problems if m)) or "no message"
        lines.append(masker.text(f"- {code(address)} ({plain(str(check.get('status')))}): {plain(detail)}")[:LINE_CHARS])
    title = f"{len(failing)} failing check{'s' if len(failing) != 1 else ''}"
    return Part(title, head=f"**{title}** (conditions this configuration asserts):\n", lines=lines, keep=True, unit="checks")


def _error(error: str, masker: Masker) -> Part:
    text = masker.text(error.strip("\n")) or "(terraform printed no error text)"
    lines = [line[:LINE_CHARS] for line in text.splitlines()]
    fence = fence_for(text)
    return Part("Error", head=f"**Error** from `terraform plan`:\n\n{fence}text\n", lines=lines,
                tail=f"\n{fence}", keep=True, unit="lines of the error", code=True)


def _resource_line(kind: str, change: dict, masker: Masker) -> str:
    address = code(change.get("address", "?"))
    body = change.get("change") or {}
    if kind == "move":
        return f"- {code(change.get('previous_address', '?'))} → {address}"
    if kind == "import":
        ident = (body.get("importing") or {}).get("id")
        return f"- {address}" + (f" (id {code(str(ident))})" if ident else "")
    if kind == "destroy" and change.get("deposed"):
        return f"- {address} (deposed object {code(str(change['deposed']))})"
    if kind == "replace":
        paths = sorted({json.dumps(p) for p in body.get("replace_paths") or []})
        names = ", ".join(code(path_text(json.loads(p))) for p in paths)
        return f"- {address}" + (f" (forced by {names})" if names else "")
    if kind == "change":
        found = changes(body, masker, limit=ATTRIBUTES_PER_RESOURCE + 1)
        shown = ", ".join(c.text() for c in found[:ATTRIBUTES_PER_RESOURCE])
        more = " and more" if len(found) > ATTRIBUTES_PER_RESOURCE else ""
        return f"- {address}" + (f": {shown}{more}" if shown else "")
    return f"- {address}"


def _groups(summary: Summary, masker: Masker) -> list[Part]:
    parts = []
    for kind in ACTIONS:
        members = summary.groups[kind]
        if not members:
            continue
        lines = [masker.text(_resource_line(kind, change, masker))[:LINE_CHARS] for change in members]
        title = f"{GROUP_TITLES[kind]} ({len(members)})"
        if len(members) > COLLAPSE_OVER:
            parts.append(Part(title, head=f"<details><summary>{title}</summary>\n\n", lines=lines,
                              tail="\n\n</details>", unit="resources"))
        else:
            parts.append(Part(title, head=f"**{title}**\n", lines=lines, unit="resources"))
    if parts:
        parts.insert(0, Part("Resources by action", head="#### Resources by action"))
    return parts


def _drift_line(item, masker: Masker) -> str:
    if item.deleted:
        return masker.text(f"- {code(item.address)}: deleted outside Terraform")
    shown = ", ".join(c.text() for c in item.attributes[:ATTRIBUTES_PER_RESOURCE])
    more = f" and {len(item.attributes) - ATTRIBUTES_PER_RESOURCE} more" if len(item.attributes) > ATTRIBUTES_PER_RESOURCE else ""
    return masker.text(f"- {code(item.address)}: {shown}{more}")[:LINE_CHARS]


def _drift(drift: list, masker: Masker) -> list[Part]:
    """Drift that affects this plan, then, collapsed, drift that does not (an attribute nothing here depends on)."""
    parts = []
    relevant = [item for item in drift if item.relevant]
    if relevant:
        title = f"Changed outside Terraform (drift): {len(relevant)}"
        parts.append(Part(title, head=f"#### {title}\n\n", lines=[_drift_line(i, masker) for i in relevant],
                          unit="resources"))
    others = [item for item in drift if not item.relevant]
    if others:
        title = f"Changed outside Terraform, not affecting this plan ({len(others)})"
        parts.append(Part(title, head=f"<details><summary>{title}</summary>\n\n",
                          lines=[_drift_line(i, masker) for i in others], tail="\n\n</details>", unit="resources"))
    return parts


def _output_value(body: dict, side: str, masker: Masker) -> str:
    if side == "after" and body.get("after_unknown") is True:
        return UNKNOWN
    value = body.get(side)
    marks = body.get(f"{side}_sensitive")
    if marks is True:
        return MASK if value is not None else "(none)"
    return show(masker.value(value, marks), masker)


def _output_values(body: dict, masker: Masker) -> tuple[str, str]:
    """Before and after; two different plain values are never shortened to the same text."""
    whole = body.get("before_sensitive") is True or body.get("after_sensitive") is True or body.get("after_unknown") is True
    if whole:
        return _output_value(body, "before", masker), _output_value(body, "after", masker)
    return show_pair(masker.value(body.get("before"), body.get("before_sensitive")),
                     masker.value(body.get("after"), body.get("after_sensitive")), masker)


def _outputs(plan: dict | None, masker: Masker) -> Part | None:
    lines = []
    for name, body in sorted(((plan or {}).get("output_changes") or {}).items()):
        if OUTPUT_ACTIONS.get(actions_of(body) or ("no-op",)) != "output":
            continue  # no-op, or an action summarize names as not rendered
        verb = {"create": "new", "delete": "removed", "update": "changed"}[actions_of(body)[0]]
        before, after = _output_values(body, masker)
        lines.append(masker.text(f"- {code(name)} ({verb}): {before} → {after}"))
    if not lines:
        return None
    return Part("Output changes", head="#### Output changes\n\n", lines=lines, unit="outputs")


def _money(value: float) -> str:
    return f"${value:,.2f}"


def _cost(cost) -> Part | None:
    if cost is None or not cost.services:
        return None
    table = cost.table
    lines = []
    for service in cost.services:
        before = f"{service.before.text()}: {_money(service.before.monthly)}" if service.before else "–"
        after = f"{service.after.text()}: {_money(service.after.monthly)}" if service.after else "–"
        note = f" ({service.note})" if service.note else ""
        cells = (plain(text).replace("|", "\\|") for text in (note, before, after))
        note, before, after = cells
        lines.append(f"| {code(service.address, table=True)}{note} | {before} | {after} |")
    delta = cost.after - cost.before
    sign = "+" if delta >= 0 else "−"
    lines.append(f"| **total per month** | **{_money(cost.before)}** | **{_money(cost.after)}** ({sign}{_money(abs(delta))}) |")
    spot = round(table["spot"]["discount"] * 100)
    footnote = (f"\n\nFargate {table['region']} {table.get('platform', '')}: ${table['on_demand']['vcpu_hour']}"
                f" per vCPU-hour and ${table['on_demand']['gb_hour']} per GB-hour on demand, "
                f"{table['hours_per_month']} hours a month. FARGATE_SPOT priced at a {spot}% discount, not at on-demand "
                f"rates. Prices from [{table['source']}]({table['url']}), read on {table['as_of']}.")
    head = f"#### Monthly cost (Fargate): {_money(cost.before)} → {_money(cost.after)}\n\n| service | before | after |\n|---|---|---|\n"
    return Part("Monthly cost", head=head, lines=lines, tail=footnote, unit="services")


def _checkov(result, masker: Masker) -> Part | None:
    if result is None:
        return None
    title = f"Checkov: {result.passed} passed, {result.failed} failed, {result.skipped} skipped"
    if not result.failures:
        return Part(title, head=f"#### {title}")
    lines = []
    for check in result.failures:
        guide = f" ([guide]({check.guideline}))" if check.guideline.startswith("https://") else ""
        name = f" {plain(check.name)}" if check.name else ""
        where = f" ({code(check.where)})" if check.where else ""
        lines.append(masker.text(f"- {code(check.check_id)}{name}: {code(check.resource)}{where}{guide}"))
    return Part(title, head=f"#### {title}\n\n<details><summary>{len(lines)} failed checks</summary>\n\n",
                lines=lines, tail="\n\n</details>", unit="failed checks")


def _plan_text(text: str | None, masker: Masker) -> Part | None:
    if not text or not text.strip():
        return None
    clean = masker.text(text.strip("\n"))
    fence = fence_for(clean)
    lines = [line[:LINE_CHARS] for line in clean.splitlines()]
    return Part("Full plan text", head=f"<details><summary>Full plan text</summary>\n\n{fence}text\n", lines=lines,
                tail=f"\n{fence}\n\n</details>", unit="lines", code=True)


def _footer(view: View) -> Part:
    commit = f" for commit {code(view.commit[:12])}" if view.commit else ""
    full = f" Full plan: {view.where}." if view.where else ""
    return Part("Footer", head=(f"<sub>Rendered by `tbctl comment` from `terraform show -json`{commit}, "
                                f"target {view.target}.{full}</sub>\n{marker(view.env_short)}"),
                keep=True)


def parts(view: View) -> list[Part]:
    found = [_heading(view)]
    if view.error is not None:
        found.append(_error(view.error, view.masker))
    found.append(_checks(view.plan, view.masker))
    found.append(_dangers(view.dangers, view.masker))
    found.append(_unrendered(view.summary, view.masker))
    if view.summary is not None:
        found += _groups(view.summary, view.masker)
    found += _drift(view.drift, view.masker)
    found += [_outputs(view.plan, view.masker), _cost(view.cost),
              _checkov(view.checkov, view.masker), _plan_text(view.plan_text, view.masker), _footer(view)]
    return [part for part in found if part is not None]

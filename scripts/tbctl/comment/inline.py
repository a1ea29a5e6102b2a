"""Inline markdown for text that comes from a plan: whatever it holds, it stays one inline piece.

A plan can carry any text - for_each keys, tags, reasons Terraform adds later -
including backticks, `</details>`, pipes and line breaks. `code` wraps text in
a code span no backtick run can close, `plain` escapes what HTML would read as
markup; both keep it on one line, so no text can open or close a block.
"""

import re


def one_line(text: str) -> str:
    return re.sub(r"[\r\n\u2028\u2029]+", " ", str(text))


def code(text, table: bool = False) -> str:
    """An inline code span that survives backticks inside (and pipes, in a table cell)."""
    text = one_line(text)
    if table:
        text = text.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest or text.startswith(" ") or text.endswith(" ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def plain(text) -> str:
    """Text shown as text: no HTML tag, entity or line break of its own."""
    return one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

"""Fit the comment into GitHub's 65,536 characters without breaking its markdown.

A comment is a list of parts. Each part is `head` + lines + `tail`: the head
and tail carry the markup (headings, <details>, code fences) and are never
cut, so every fence and <details> that opens also closes. When the whole does
not fit, the parts marked `keep` (sections 1-3) stay whole and the others share
what is left: a short part keeps all of its lines, a long one is cut from the
middle, with a line saying how many were cut, which, and where the full plan is.
Only when the kept parts alone are too long are they cut the same way.
"""

from dataclasses import dataclass, field

LIMIT = 65_536
# GitHub may count some characters differently from Python; stay clear of the edge.
BUDGET = LIMIT - 536
SEPARATOR = "\n\n"


def _pointer(where: str | None) -> str:
    """Where the reader finds what was cut: the CI artifact; nothing when run locally (no public place)."""
    return f"; the full plan: {where}" if where else ""


@dataclass
class Part:
    title: str
    head: str = ""
    lines: list = field(default_factory=list)
    tail: str = ""
    keep: bool = False
    unit: str = "lines"
    code: bool = False  # lines sit inside a code fence: the cut note is a plain line

    def render(self, lines: list | None = None) -> str:
        body = "\n".join(self.lines if lines is None else lines)
        return f"{self.head}{body}{self.tail}"

    def omitted(self, where: str | None) -> str:
        return f"_{self.title}: left out to fit GitHub's size limit{_pointer(where)}._"

    def note(self, first: int, last: int, total: int, where: str | None) -> str:
        count = last - first + 1
        text = (f"… {count:,} of {total:,} {self.unit} cut here ({self.unit} {first:,}–{last:,}) "
                f"to fit GitHub's size limit{_pointer(where)}")
        return text if self.code else f"- _{text}_"

    def fit(self, budget: int, where: str | None) -> str | None:
        """This part in at most `budget` characters, cut from the middle; None when even the markup does not fit."""
        full = self.render()
        if len(full) <= budget:
            return full
        total = len(self.lines)
        if total == 0:
            return None
        lengths = [len(line) + 1 for line in self.lines]
        prefix = [0]
        for length in lengths:
            prefix.append(prefix[-1] + length)

        def attempt(kept: int) -> str:
            front = kept - kept // 3
            back = kept - front
            note = self.note(front + 1, total - back, total, where)
            return self.render(self.lines[:front] + [note] + (self.lines[total - back:] if back else []))

        def size(kept: int) -> int:
            front = kept - kept // 3
            back = kept - front
            note = self.note(front + 1, total - back, total, where)
            return len(self.head) + len(self.tail) + prefix[front] + (prefix[total] - prefix[total - back]) + len(note)

        if size(0) > budget:
            return None
        low, high = 0, total - 1  # at least one line is cut, else it would have fitted
        while low < high:
            middle = (low + high + 1) // 2
            if size(middle) <= budget:
                low = middle
            else:
                high = middle - 1
        return attempt(low)


def _share(parts: list[Part], budget: int, where: str | None) -> dict[int, str]:
    """Water-fill: the smallest parts first, each taking at most an even share of what is left."""
    rendered: dict[int, str] = {}
    order = sorted(range(len(parts)), key=lambda i: len(parts[i].render()))
    remaining = budget
    for position, index in enumerate(order):
        share = remaining // (len(order) - position) - len(SEPARATOR)
        text = parts[index].fit(max(share, 0), where)
        if text is None:
            text = parts[index].omitted(where)
        rendered[index] = text
        remaining -= len(text) + len(SEPARATOR)
    return rendered


def fit(parts: list[Part], where: str | None, budget: int = BUDGET) -> str:
    """The parts joined, at most `budget` characters (as long as the parts' markup itself fits)."""
    whole = SEPARATOR.join(part.render() for part in parts)
    if len(whole) <= budget:
        return whole
    kept = [i for i, part in enumerate(parts) if part.keep]
    others = [i for i, part in enumerate(parts) if not part.keep]
    kept_size = sum(len(parts[i].render()) + len(SEPARATOR) for i in kept)
    omissions = sum(len(parts[i].omitted(where)) + len(SEPARATOR) for i in others)
    rendered: dict[int, str] = {}
    if kept_size + omissions <= budget:
        rendered.update({i: parts[i].render() for i in kept})
        shared = _share([parts[i] for i in others], budget - kept_size, where)
        rendered.update({others[j]: text for j, text in shared.items()})
    else:  # sections 1-3 alone are too long: everything else is left out, they are cut from the middle
        rendered.update({i: parts[i].omitted(where) for i in others})
        shared = _share([parts[i] for i in kept], budget - omissions, where)
        rendered.update({kept[j]: text for j, text in shared.items()})
    return SEPARATOR.join(rendered[i] for i in range(len(parts)))

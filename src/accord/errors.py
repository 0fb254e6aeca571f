"""Errors a user can act on.

Every error accord raises for bad input is an :class:`AccordError`: the CLI
prints its ``lines()`` (one per problem, ``file:line: field: message``) and
exits with code 2; the web service returns them as JSON. Nothing else is
shown to the user as a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can.

    >>> str(Problem("issues.yaml", 12, "territory.options", "duplicate option id 'freeze'"))
    "issues.yaml:12: territory.options: duplicate option id 'freeze'"

    A problem is always one line: control characters from the input show escaped.

    >>> print(Problem("p.yaml", 1, "id" + chr(10) + "x", "bad"))
    p.yaml:1: id\\nx: bad
    """

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file if self.line is None else f"{self.file}:{self.line}")
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return _one_line(": ".join(parts))


def _one_line(text: str) -> str:
    """``text`` with line breaks and other control characters escaped (``\\n``, ``\\x1f``)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


class AccordError(Exception):
    """Bad input or a request that cannot be met; carries one or more problems."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("", None, "", problems)]
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class CaseError(AccordError):
    """A case folder failed validation (all its problems at once)."""

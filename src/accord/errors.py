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
        return ": ".join(parts)


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

"""Diagnostics: every problem with the input is one of these, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Pos(NamedTuple):
    """A place in an input file: `path` relative to the project root, 1-based line and column.

    A named tuple: one is made for every node of every brief, so it must be cheap.
    """

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: where it is, how bad, what is wrong and, where it helps, what would be valid."""

    pos: Pos
    severity: Severity
    message: str
    hint: str | None = field(default=None, compare=False)

    def format(self) -> str:
        text = f"{self.pos}: {self.severity}: {self.message}"
        if self.hint:
            text += "".join(
                f"\n    hint: {line}" if i == 0 else f"\n          {line}"
                for i, line in enumerate(self.hint.splitlines())
            )
        return text


class Report:
    """Collects diagnostics across the whole run so that all of them are shown at once."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def error(self, pos: Pos, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic(pos, "error", message, hint))

    def warning(self, pos: Pos, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic(pos, "warning", message, hint))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items))

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))


class BriefError(Exception):
    """Raised when the input is wrong; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics

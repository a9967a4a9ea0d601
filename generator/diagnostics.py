"""Diagnostics: every problem with the input is one of these, never a traceback."""

from __future__ import annotations

import sys
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

    def to_json(self) -> str:
        """One JSON object on one line, for editors and CI annotations (`--format json`)."""
        import json  # here: text output, the usual, needs none

        return json.dumps(
            {
                "path": self.pos.path,
                "line": self.pos.line,
                "column": self.pos.col,
                "severity": self.severity,
                "message": self.message,
                "hint": self.hint,
            },
            ensure_ascii=False,
        )


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


def print_report(report: Report, strict: bool, fmt: str = "text") -> None:
    """Diagnostics as `path:line:col:` lines on stderr, or (`fmt="json"`) one JSON object
    a line on stdout, then a count on stderr."""
    for diagnostic in report.sorted():
        if fmt == "json":
            print(diagnostic.to_json(), flush=True)
        else:
            print(diagnostic.format(), file=sys.stderr)
    errors, warnings = len(report.errors), len(report.warnings)
    if errors or warnings:
        fatal = " (fatal with --strict)" if strict and warnings else ""
        print(f"{errors} error(s), {warnings} warning(s){fatal}", file=sys.stderr)

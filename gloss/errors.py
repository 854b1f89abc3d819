"""One error type for everything a user can fix, and a collector for reporting many at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .words import counted


class GlossError(Exception):
    """A problem in the user's input: carries where it is and what would fix it.

    Anything that is not a GlossError is a bug in Gloss and keeps its traceback.
    """

    def __init__(
        self,
        message: str,
        path: str | Path | None = None,
        line: int | None = None,
        col: int | None = None,
        hint: str | None = None,
        severity: str = "error",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.col = col
        self.hint = hint
        self.severity = severity

    def location(self) -> str:
        parts = [self.path or "<gloss>"]
        if self.line is not None:
            parts.append(str(self.line))
            parts.append(str(self.col if self.col is not None else 1))
        return ":".join(parts)

    def format(self) -> str:
        label = "warning: " if self.severity == "warning" else ""
        text = f"{self.location()}: {label}{self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def __str__(self) -> str:
        return self.format()


@dataclass
class Problems:
    """Errors and warnings gathered across a whole run, so `check` can report them all."""

    items: list[GlossError] = field(default_factory=list)

    def add(self, error: GlossError) -> None:
        self.items.append(error)

    def warn(self, message: str, path=None, line=None, col=None, hint=None) -> None:
        self.items.append(GlossError(message, path, line, col, hint, severity="warning"))

    @property
    def errors(self) -> list[GlossError]:
        return [e for e in self.items if e.severity == "error"]

    @property
    def warnings(self) -> list[GlossError]:
        return [e for e in self.items if e.severity == "warning"]

    def sorted(self) -> list[GlossError]:
        return sorted(self.items, key=lambda e: (e.path or "", e.line or 0, e.col or 0, e.message))


class BuildFailed(GlossError):
    """Raised when a build collected errors; carries them all."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(f"{counted(len(problems.errors), 'error')}; the site was not changed")
        self.problems = problems

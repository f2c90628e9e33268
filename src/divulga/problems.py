"""Problems found in content, kept as data.

The loader never stops at the first mistake: it records every problem it finds
and the build (or ``divulga check``) reports them all at once, each as
``path:line: field: message`` so editors and their tools can jump to it.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in the content."""

    path: str  # relative to the site's root folder, with forward slashes
    line: int | None  # 1-based; None when the whole file is concerned
    field: str  # the front-matter or YAML field, or "file"
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        return f"{self.path}:{self.line or 1}: {self.field}: {self.message}"

    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, self.field, self.message)


class ContentError(Exception):
    """Raised with every error found, so the build fails listing all of them
    (and the warnings, so that it reports what `divulga check` reports)."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] = ()):
        self.problems = sorted(problems, key=Problem.sort_key)
        self.warnings = sorted(warnings, key=Problem.sort_key)
        count = len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        message = f"{count} problem{'s' if count != 1 else ''} in the content:\n{lines}"
        if self.warnings:
            message += f"\nand {len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''}:\n" + \
                "\n".join(f"  {p}" for p in self.warnings)
        super().__init__(message)


def errors_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]

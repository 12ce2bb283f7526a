"""The base of the errors client/ and sync/ raise to their callers (the desktop UI, the command
line, scripts): a stable `code` with `params`. The words for each code live once, in the
catalogue client/messages.py: `message` is its Chinese text for the command line and logs, the
desktop UI translates the same text (ui/messages.py). Sync errors (sync.client.errors) and the
services layer's refusals (client.workspace.errors) are its two families."""

from __future__ import annotations

from typing import Any

from client import messages


class HechaError(Exception):
    """An error with a stable code; `retryable`: trying again later can help."""

    code = "error"
    retryable = False

    def __init__(self, detail: str = "", **params: Any) -> None:
        self.detail = detail
        self.params = params
        super().__init__(detail or self.code)

    @property
    def message(self) -> str:
        """The Chinese text of the code (the desktop UI words the code itself, translated)."""
        return messages.message(self.code, self.params)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}" + (f" [{self.detail}]" if self.detail else "")

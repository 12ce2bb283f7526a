"""The base of the errors client/ and sync/ raise to their callers (the desktop UI, the command
line, scripts): a stable `code` with `params`, from which ui/messages.py and the translation
catalogue make the worker's words; `message` is the Chinese text for the command line and logs.
Sync errors (sync.client.errors) and the services layer's refusals (client.workspace.errors) are
its two families."""

from __future__ import annotations

from typing import Any


class HechaError(Exception):
    """An error with a stable code; `retryable`: trying again later can help."""

    code = "error"
    retryable = False
    # Chinese text for the command line and logs; may contain {placeholders} from `params`.
    template = "操作失败。"

    def __init__(self, detail: str = "", **params: Any) -> None:
        self.detail = detail
        self.params = params
        super().__init__(detail or self.code)

    @property
    def message(self) -> str:
        """The Chinese text (the desktop UI words the code itself, in the worker's language)."""
        try:
            return self.template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return self.template

    def __str__(self) -> str:
        return f"{self.code}: {self.message}" + (f" [{self.detail}]" if self.detail else "")

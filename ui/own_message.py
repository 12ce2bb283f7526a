"""The Chinese text a typed error of client/ or sync/ carries itself (Qt-free: the headless demo
uses it too)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class Worded(Protocol):
    """An error with its own worker-facing text: every HechaError (sync, services layer, store),
    TrainerError, DemoActionRefused."""

    @property
    def message(self) -> str: ...


def own_message(exc: BaseException) -> str | None:
    """The error's own message, if it is one of ours and has one."""
    if isinstance(exc, Worded) and isinstance(exc.message, str) and exc.message:
        return exc.message
    return None

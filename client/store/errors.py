"""Typed errors of the local store: HechaErrors whose codes the catalogue (client/messages.py)
words, in Chinese for the command line and translated in the desktop UI; `path` is the file."""

from __future__ import annotations

from typing import Any

from client.errors import HechaError


class StoreError(HechaError):
    """Base class: something is wrong with the local database file."""

    code = "store_error"

    def __init__(self, detail: str = "", *, path: str | None = None, **params: Any) -> None:
        self.path = path
        super().__init__(detail, **params)


class WrongKeyError(StoreError):
    """The file looks like an encrypted store but the key does not open it."""
    code = "store_wrong_key"


class NotADatabaseError(StoreError):
    """The file is not an encrypted store at all: truncated, overwritten, or a plain SQLite file."""
    code = "store_not_a_database"


class UnencryptedDatabaseError(NotADatabaseError):
    """A plain (unencrypted) SQLite file sits where the encrypted store should be."""
    code = "store_unencrypted"


class CorruptDatabaseError(StoreError):
    """The key is right but the content is damaged (failed integrity check or malformed pages)."""
    code = "store_corrupt"


class SchemaTooNewError(StoreError):
    """The file was written by a newer client whose schema this version does not know."""
    code = "store_schema_too_new"


class DiskFullError(StoreError):
    """The disk (or the file's size limit) is full: the transaction was rolled back."""
    code = "store_disk_full"


class StoreWriteError(StoreError):
    """Writing failed for another reason (I/O error, read-only file): nothing was saved."""
    code = "store_write_failed"


class StoreBusyError(StoreError):
    """Another process holds the write lock longer than the busy timeout."""
    code = "store_busy"


class StoreOpenError(StoreError):
    """The file cannot be opened for another reason (`reason`: SQLite's words)."""
    code = "store_open_failed"


class StoreClosedError(StoreError):
    """The store was closed: nothing more can be read or written through it."""
    code = "store_closed"

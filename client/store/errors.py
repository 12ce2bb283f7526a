"""Typed errors of the local store, each with a Chinese message the UI can show as it is."""

from __future__ import annotations


class StoreError(Exception):
    """Base class: something is wrong with the local database file."""

    message = "本地数据库出错。"

    def __init__(self, message: str | None = None, *, path: str | None = None, detail: str = ""):
        self.path = path
        self.detail = detail
        super().__init__(message or self.message)


class WrongKeyError(StoreError):
    """The file looks like an encrypted store but the key does not open it."""

    message = "数据库密码不正确：无法用此密钥打开本地数据库。请确认登录的用户和密码。"


class NotADatabaseError(StoreError):
    """The file is not an encrypted store at all: truncated, overwritten, or a plain SQLite file."""

    message = "本地数据库文件已损坏或不是本程序的数据库，无法打开。"


class UnencryptedDatabaseError(NotADatabaseError):
    """A plain (unencrypted) SQLite file sits where the encrypted store should be."""

    message = "本地数据库文件未加密，不是本程序创建的数据库，已拒绝打开。"


class CorruptDatabaseError(StoreError):
    """The key is right but the content is damaged (failed integrity check or malformed pages)."""

    message = "本地数据库已损坏（完整性检查未通过）。请联系技术支持，不要删除该文件。"


class SchemaTooNewError(StoreError):
    """The file was written by a newer client whose schema this version does not know."""

    message = "本地数据库由更新版本的程序创建，请升级核查工作台后再打开。"


class DiskFullError(StoreError):
    """The disk (or the file's size limit) is full: the transaction was rolled back."""

    message = "磁盘空间不足，本次修改没有保存。请清理磁盘后重试。"


class StoreWriteError(StoreError):
    """Writing failed for another reason (I/O error, read-only file): nothing was saved."""

    message = "本地数据库写入失败，本次修改没有保存。"


class StoreBusyError(StoreError):
    """Another process holds the write lock longer than the busy timeout."""

    message = "本地数据库正被另一个程序占用，请关闭其他核查工作台窗口后重试。"

"""The training directory is used by one `hecha demo` at a time."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO


class DemoAlreadyRunning(RuntimeError):
    """Another `hecha demo` uses the same training directory."""

    def __init__(self, root: Path) -> None:
        self.message = f"培训模式已经在运行（另一个窗口正在使用 {root}）。请先关闭那个窗口。"
        super().__init__(self.message)


class DirLock:
    """An exclusive lock on a training directory, released when the process ends (even killed)."""

    def __init__(self, root: Path) -> None:
        self.path = root / "demo.lock"
        self.file: IO[bytes] | None = None

    def acquire(self) -> None:
        file = self.file = open(self.path, "a+b")
        try:
            if sys.platform == "win32":
                import msvcrt
                file.seek(0)
                msvcrt.locking(file.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl
                fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            file.close()
            self.file = None
            raise DemoAlreadyRunning(self.path.parent) from None

    def release(self) -> None:
        if self.file is not None:
            self.file.close()  # closing drops the lock on every platform
            self.file = None

"""A real X server for tests and screenshots: Xvfb on a free display number (-displayfd)."""

from __future__ import annotations

import os
import shutil
import subprocess
from types import TracebackType


class Xvfb:
    """`with Xvfb(1366, 768) as display:` runs an X server for the block; display is ":N"."""

    def __init__(self, width: int = 1366, height: int = 768, depth: int = 24):
        self.screen = f"{width}x{height}x{depth}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.display = ""

    def __enter__(self) -> str:
        exe = shutil.which("Xvfb")
        assert exe, "Xvfb is missing: run scripts/setup (it installs xvfb)"
        read_fd, write_fd = os.pipe()
        self.proc = subprocess.Popen([exe, "-displayfd", str(write_fd), "-screen", "0", self.screen,
                                      "-nolisten", "tcp", "-noreset"],
                                     pass_fds=(write_fd,), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        os.close(write_fd)
        with os.fdopen(read_fd) as f:
            number = f.readline().strip()  # written once the server accepts connections
        if not number:
            self.proc.kill()
            raise RuntimeError(f"Xvfb did not start (exit code {self.proc.wait()})")
        self.display = f":{number}"
        return self.display

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

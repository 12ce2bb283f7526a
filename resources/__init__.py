"""Shipped data: code tables, division tables, translations, icons and styles.

`path("data", "codes", "gbt3304_ethnicity.csv")` finds a file both in a source checkout and in a
PyInstaller build (where resources/ is unpacked next to the executable).
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return _HERE


def path(*parts: str) -> Path:
    return root().joinpath(*parts)

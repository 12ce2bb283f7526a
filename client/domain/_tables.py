"""Read the CSV tables shipped in resources/data once per process (results are cached)."""

from __future__ import annotations

import csv
import functools

import resources


@functools.cache
def read_rows(*parts: str) -> tuple[dict[str, str], ...]:
    """Rows of resources/data/<parts...> as dicts; empty cells become ''."""
    with resources.path("data", *parts).open(encoding="utf-8", newline="") as f:
        return tuple({k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f))

"""Fixtures for the store tests: a fresh encrypted store in tmp_path and small case records."""

from __future__ import annotations

from typing import Any

import pytest

from client.store import new_key, open_store


@pytest.fixture
def key() -> bytes:
    return new_key()


@pytest.fixture
def store(tmp_path, key):
    opened = open_store(tmp_path / "hecha.db", key)
    yield opened
    opened.close()


def error_record(case_id: str, version: int = 1, name: str = "张三", id_number: str = "",
                 place: str = "610424100001", **extra: Any) -> dict[str, Any]:
    person = {"person_id": f"P-{case_id}", "name": name, "id_number": id_number,
              "hukou_place": place, "sex": "1"}
    data = {"person": person, "findings": [], "household": [], "status": "open", **extra}
    return {"type": "error", "id": case_id, "version": version, "data": data}

"""Moving case shadows forward: the one path for pulled pages, bootstrap pages and acknowledgements.

A shadow never moves backwards or sideways: a record older than the stored version, or of the
same version, changes nothing. This is what stops a replayed, older acknowledgement from
overwriting a newer pulled version (SYNC_PROTOCOL.md, principle 4).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from client.store.database import json_dumps
from client.store.models import Case, case_initials_table, cases_table
from client.store.search import search_columns, with_overlay

_CHUNK = 900  # ids per IN (...) look-up, below SQLite's default host-parameter limit


def utc_now() -> str:
    """Device time for bookkeeping columns (never used to order anything)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass
class ShadowUpdate:
    """What one upsert did: ids whose shadow moved, and ids it refused (stale or sideways)."""

    moved: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    unknown_tombstones: list[str] = field(default_factory=list)


def _validated(record: Mapping[str, Any]) -> tuple[str, str, int, Any, Any]:
    case_id = record.get("id")
    kind = record.get("type", record.get("kind"))
    version = record.get("version")
    data = record.get("data")
    removed = record.get("removed")
    if not isinstance(case_id, str) or not case_id:
        raise ValueError(f"record without an id: {record!r:.200}")
    if not isinstance(kind, str) or not kind:
        raise ValueError(f"record {case_id} without a type")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise ValueError(f"record {case_id}: bad version {version!r}")
    if data is None and removed is None:
        raise ValueError(f"record {case_id}: neither data nor removed")
    if data is not None and not isinstance(data, dict):
        raise ValueError(f"record {case_id}: data is not an object")
    return case_id, kind, version, data, removed


_INSERT_CASE = (
    "INSERT INTO cases (id, kind, shadow_version, shadow_data, overlay, local_state, removed, updated_at,"
    " name_norm, id_number, place, name_key, sex, birth_date, problem, problem_text)"
    " VALUES (?, ?, ?, ?, NULL, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_UPDATE_CASE = ("UPDATE cases SET shadow_version = ?, shadow_data = ?, removed = ?, updated_at = ?,"
                " name_norm = ?, id_number = ?, place = ?, name_key = ?, sex = ?, birth_date = ?,"
                " problem = ?, problem_text = ?"
                " WHERE id = ?")
_UPDATE_DATA = "UPDATE cases SET shadow_version = ?, shadow_data = ?, removed = ?, updated_at = ? WHERE id = ?"
_UPDATE_TOMBSTONE = "UPDATE cases SET shadow_version = ?, removed = ?, updated_at = ? WHERE id = ?"
_DELETE_INITIALS = "DELETE FROM case_initials WHERE case_id = ?"
_INSERT_INITIALS = "INSERT INTO case_initials (initials, case_id) VALUES (?, ?)"


def upsert_shadows(session: Session, records: Iterable[Mapping[str, Any]]) -> ShadowUpdate:
    """Apply a page of records `{type, id, version, data}` / tombstones `{type, id, version, removed}`.

    Search columns follow the new shadow with the case's overlay laid over it (with_overlay).

    Bulk path (bootstrap of 100,000 cases): one look-up per 900 ids, then plain executemany
    (prepared statements, no per-row ORM or bind processing). New cases start
    `local_state='open'`; an existing case keeps its overlay and local state (the sync engine
    decides what a tombstone means for it). A tombstone for a case never seen is ignored.
    Loaded `Case` objects of moved ids are expired so they do not go stale.
    """
    latest: dict[str, tuple[str, int, Any, Any]] = {}
    for record in records:
        case_id, kind, version, data, removed = _validated(record)
        seen = latest.get(case_id)
        if seen is None or version > seen[1]:
            latest[case_id] = (kind, version, data, removed)
    result = ShadowUpdate()
    if not latest:
        return result
    session.flush()
    conn = session.connection()

    ids = list(latest)
    stored: dict[str, int] = {}
    stored_removed: dict[str, Any] = {}
    stored_overlay: dict[str, Any] = {}
    stored_search: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        for case_id, version, removed, overlay, *search in conn.exec_driver_sql(
                "SELECT id, shadow_version, removed, overlay, name_norm, id_number, place,"
                " name_key, sex, birth_date, problem, problem_text"
                f" FROM cases WHERE id IN ({marks})", tuple(chunk)):
            stored[case_id] = version
            stored_search[case_id] = tuple(search)
            if removed is not None and removed != "null":
                stored_removed[case_id] = removed
            if overlay is not None and overlay != "null":
                stored_overlay[case_id] = overlay

    now = utc_now()
    new_rows: list[tuple[Any, ...]] = []
    data_rows: list[tuple[Any, ...]] = []
    plain_rows: list[tuple[Any, ...]] = []
    tomb_rows: list[tuple[Any, ...]] = []
    initials_rows: list[tuple[str, str]] = []
    for case_id, (kind, version, data, removed) in latest.items():
        current = stored.get(case_id)
        if current is None and data is None:
            result.unknown_tombstones.append(case_id)
            continue
        if current is not None and version <= current:
            # A tombstone may carry the version of the last change it follows: the same
            # version, now out of scope. Anything else at or below the stored version is stale.
            if not (data is None and version == current and stored_removed.get(case_id) is None):
                result.refused.append(case_id)
                continue
        result.moved.append(case_id)
        removed_json = None if removed is None else json_dumps(removed)
        if data is None:
            tomb_rows.append((version, removed_json, now, case_id))
            continue
        overlay = stored_overlay.get(case_id)
        # The worklist finds a case by what the worker sees: the new shadow under their edits.
        cols = search_columns(kind, data if overlay is None else with_overlay(kind, data, json.loads(overlay)))
        search_row = cols.row()
        if current is None:
            new_rows.append((case_id, kind, version, json_dumps(data), removed_json, now,
                             *search_row))
        elif stored_search[case_id] == search_row:
            # Most pulled changes touch no searched field: leave the indexes alone. (The same
            # names give the same initials: name_norm holds every searched name.)
            plain_rows.append((version, json_dumps(data), removed_json, now, case_id))
            continue
        else:
            data_rows.append((version, json_dumps(data), removed_json, now, *search_row, case_id))
        initials_rows.extend((initials, case_id) for initials in cols.initials)

    if new_rows:
        conn.exec_driver_sql(_INSERT_CASE, new_rows)
    if data_rows:
        conn.exec_driver_sql(_UPDATE_CASE, data_rows)
        conn.exec_driver_sql(_DELETE_INITIALS, [(row[-1],) for row in data_rows])
    if plain_rows:
        conn.exec_driver_sql(_UPDATE_DATA, plain_rows)
    if tomb_rows:
        conn.exec_driver_sql(_UPDATE_TOMBSTONE, tomb_rows)
    if initials_rows:
        conn.exec_driver_sql(_INSERT_INITIALS, initials_rows)
    if session.identity_map:
        for case_id in result.moved:
            obj = session.identity_map.get(identity_key(Case, case_id))
            if obj is not None:
                session.expire(obj)
    return result


def advance_shadow(session: Session, case_id: str, kind: str, version: int,
                   data: dict[str, Any] | None, removed: dict[str, Any] | None = None) -> bool:
    """Move one case's shadow to `version` (data, or a tombstone `removed`); False if refused.

    Refuses, changing nothing, a version older than or equal to the stored one (an equal
    version with other data is a sideways move and is refused too). One exception: a
    tombstone of the stored version removes a case not yet removed (servers may stamp the
    removal with the version of the change it follows).
    """
    record = {"type": kind, "id": case_id, "version": version, "data": data, "removed": removed}
    return bool(upsert_shadows(session, [record]).moved)


def reindex_case(session: Session, case_id: str, kind: str, data: dict[str, Any] | None) -> None:
    """Recompute a case's search columns from `data` (e.g. shadow with the overlay applied)."""
    cols = search_columns(kind, data)
    session.flush()
    session.execute(update(cases_table).where(cases_table.c.id == case_id).values(
        name_norm=cols.name_norm, id_number=cols.id_number, place=cols.place,
        name_key=cols.name_key, sex=cols.sex,
        birth_date=cols.birth_date, problem=cols.problem, problem_text=cols.problem_text))
    session.execute(delete(case_initials_table).where(case_initials_table.c.case_id == case_id))
    if cols.initials:
        session.execute(insert(case_initials_table),
                        [{"initials": i, "case_id": case_id} for i in cols.initials])
    obj = session.identity_map.get(identity_key(Case, case_id))
    if obj is not None:
        session.expire(obj)

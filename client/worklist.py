"""Worklist queries for big lists (services layer, no Qt): case ids first, filtered and sorted in
SQL over the store's indexed search columns; row summaries only for the ids on screen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Protocol

from sqlalchemy import func, literal, select

from client.store import Case, Store
from client.store import text_filter
from client.store.search import main_finding


class HasStore(Protocol):
    """What the worklist queries need: the Workspace, or anything holding an open store."""

    store: Store

KINDS = ("error", "birth", "duplicates")
# Sort keys the worklist offers: each maps to indexed columns (ids sort naturally: E-2 < E-10).
SORT_KEYS = ("id", "state", "name", "id_number", "sex", "birth_date", "place", "problem", "deadline")
# Coded columns: the worker reads words (村 names, 性别, 问题), not codes, so the UI gives the
# codes in the order of their words (WorkQuery.order) and SQL sorts by the position in it.
ORDERED_KEYS = {"state": "local_state", "sex": "sex", "place": "place", "problem": "problem"}
_BATCH = 500  # SQLite's variable limit is far above; keeps single statements small


@dataclass(frozen=True)
class WorkQuery:
    """What the worker filters by. states: None = any; text: name, ID number, pinyin initials,
    village code or case id; place: a division code prefix (village/township filter)."""

    kind: str | None = None
    states: tuple[str, ...] | None = None
    text: str = ""
    place: str = ""
    sort: str = "id"
    descending: bool = False
    order: tuple[str, ...] = ()
    """For a coded sort column (ORDERED_KEYS): its values in the order of the words the worker
    sees; values not listed come after them. Empty: by the code."""


@dataclass(frozen=True)
class WorkRow:
    """One worklist line. problem: {code, params, message} of the main problem (for the UI to
    put in words); person: the fields shown in the columns."""

    id: str
    kind: str
    state: str
    name: str | None
    id_number: str | None
    sex: str | None
    birth_date: str | None
    place: str | None
    problem: dict[str, Any] = field(default_factory=dict)
    removed: dict[str, Any] | None = None
    deadline: str | None = None  # YYYY-MM-DD set by the office or the feed


def days_left(deadline: str | None, today: date) -> int | None:
    """Days until the deadline (0: due today, negative: overdue); None without a deadline."""
    if not deadline:
        return None
    return (date.fromisoformat(deadline[:10]) - today).days


def _order(sort: str, descending: bool, order: tuple[str, ...] = ()) -> list[Any]:
    c = Case.__table__.c
    if sort not in SORT_KEYS:
        raise ValueError(f"unknown sort key {sort!r}; known: {', '.join(SORT_KEYS)}")
    if order and sort in ORDERED_KEYS:
        # Position of "|code|" in "|a|b|c|": one C string search per row, no table to join.
        column = c[ORDERED_KEYS[sort]]
        joined = "|" + "|".join(order) + "|"
        position = func.instr(literal(joined), literal("|") + column + literal("|"))
        cols = [position == 0, position] + ([c.problem_text] if sort == "problem" else [])
    elif sort == "deadline":
        # Urgency: the nearest deadline first (overdue ones before them), cases without one last.
        due = func.json_extract(c.shadow_data, "$.deadline")
        cols = [due.is_(None), due]
    else:
        by_key: dict[str, list[Any]] = {
            "id": [func.length(c.id), c.id], "state": [c.local_state], "name": [c.name_key],
            "id_number": [c.id_number], "sex": [c.sex], "birth_date": [c.birth_date],
            "place": [c.place], "problem": [c.problem, c.problem_text]}
        cols = by_key[sort]
    cols = [col.desc() if descending else col.asc() for col in cols]
    if sort != "id":  # a stable order within equal keys
        cols += [func.length(c.id), c.id]
    return cols


def _where(q: WorkQuery) -> list[Any]:
    c = Case.__table__.c
    conds = []
    if q.kind:
        conds.append(c.kind == q.kind)
    if q.states is not None:
        conds.append(c.local_state.in_(list(q.states)))
    if q.text and q.text.strip():
        conds.append(text_filter(q.text))
    if q.place:
        conds.append(c.place.op("GLOB")(_glob_prefix(q.place)))
    return conds


def _glob_prefix(text: str) -> str:
    # GLOB metacharacters in a code prefix cannot occur (digits only), but be safe.
    return "".join(ch for ch in text if ch.isalnum()) + "*"


def task_ids(ws: HasStore, query: WorkQuery, limit: int | None = None) -> list[str]:
    """The ids of the cases matching query, in display order (one indexed SQL query); with
    limit, only the first ones (a top-N sort: the first screen of a big list comes quickly)."""
    c = Case.__table__.c
    stmt = select(c.id).where(*_where(query)).order_by(*_order(query.sort, query.descending,
                                                                 query.order))
    if limit is not None:
        stmt = stmt.limit(limit)
    with ws.store.read() as s:
        return list(s.execute(stmt).scalars())


def counts(ws: HasStore) -> dict[tuple[str, str], int]:
    """{(kind, state): number of cases} for the navigation."""
    c = Case.__table__.c
    stmt = select(c.kind, c.local_state, func.count()).group_by(c.kind, c.local_state)
    with ws.store.read() as s:
        return {(k, st): n for k, st, n in s.execute(stmt)}


def task_rows(ws: HasStore, ids: Iterable[str]) -> dict[str, WorkRow]:
    """Row summaries for the given ids (missing ids are simply absent)."""
    ids = list(ids)
    out: dict[str, WorkRow] = {}
    c = Case.__table__.c
    with ws.store.read() as s:
        for i in range(0, len(ids), _BATCH):
            stmt = select(c.id, c.kind, c.local_state, c.shadow_data, c.overlay, c.removed,
                          c.place).where(c.id.in_(ids[i:i + _BATCH]))
            for cid, kind, state, shadow, overlay, removed, place in s.execute(stmt):
                out[cid] = summarize(cid, kind, state, shadow or {}, overlay, removed, place)
    return out


def _edited_person(shadow: dict[str, Any], overlay: dict[str, Any] | None) -> dict[str, Any]:
    person = dict(shadow.get("person") or {})
    if overlay and overlay.get("action") == "fix_error":
        person.update(overlay.get("changes") or {})
    return person


def summarize(cid: str, kind: str, state: str, data: dict[str, Any], overlay: dict[str, Any] | None = None,
              removed: dict[str, Any] | None = None, place: str | None = None) -> WorkRow:
    """The worklist line of one case from its data (shadow + the worker's overlay)."""
    if kind == "error":
        p = _edited_person(data, overlay)
        problem = main_finding(data.get("findings") or [])
    elif kind == "birth":
        p = dict(data.get("proposed") or {})
        cert = data.get("certificate") or {}
        mother = data.get("mother") or {}
        problem = {"code": "birth_case", "params": {
            "cert_number": cert.get("cert_number") or "",
            "mother_name": mother.get("name") or cert.get("mother_name") or ""}}
    else:
        members = data.get("members") or []
        p = dict(members[0]) if members else {}
        reasons = data.get("reasons") or []
        first = reasons[0] if reasons and isinstance(reasons[0], dict) else {}
        problem = {"code": "duplicates_case", "params": {"count": len(members)},
                   "message": first.get("message") or "", "reason_code": first.get("code") or ""}
    return WorkRow(id=cid, kind=kind, state=state, name=p.get("name"),
                   id_number=p.get("id_number"), sex=p.get("sex"),
                   birth_date=p.get("birth_date"),
                   place=place or p.get("residence_place") or p.get("hukou_place"),
                   problem=problem, removed=removed, deadline=data.get("deadline"))


def distinct_values(ws: HasStore, sort: str, query: WorkQuery) -> list[str]:
    """The distinct values of a coded sort column among the cases of query's kind (a few:
    states, sexes, villages, problem codes), for the UI to put in the order of their words."""
    c = Case.__table__.c
    column = c[ORDERED_KEYS[sort]]
    stmt = select(column).distinct()
    if query.kind:
        stmt = stmt.where(c.kind == query.kind)
    with ws.store.read() as s:
        return list(s.execute(stmt).scalars())


def places(ws: HasStore, kind: str | None = None) -> list[str]:
    """The distinct village codes among the cases (for the village filter), sorted."""
    c = Case.__table__.c
    stmt = select(c.place).where(c.place != "").distinct().order_by(c.place)
    if kind:
        stmt = stmt.where(c.kind == kind)
    with ws.store.read() as s:
        return list(s.execute(stmt).scalars())

"""client.worklist: ids first, filtered and sorted in SQL, rows on demand (real encrypted store)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import update

from client.store import Case, new_key, open_store, upsert_shadows
from client.worklist import WorkQuery, counts, places, summarize, task_ids, task_rows

VILLAGE_A, VILLAGE_B = "610424001005", "610424001006"


def _error(n: int, name: str, id_number: str, place: str, severity="E") -> dict:
    person = {"person_id": f"P-{n}", "name": name, "id_number": id_number, "sex": "1",
              "birth_date": "1985-03-04", "hukou_place": place, "residence_place": place}
    return {"type": "error", "id": f"E-{n}", "version": 1, "data": {
        "person": person, "household": [], "status": "open",
        "findings": [{"code": "W1", "severity": "W", "fields": ["name"], "message": "提醒"},
                     {"code": "ID_CHECKSUM", "severity": severity, "fields": ["id_number"],
                      "message": "校验位不对", "params": {}}]}}


@pytest.fixture
def ws(tmp_path):
    store = open_store(tmp_path / "w.db", new_key())
    records = [_error(1, "张敏明", "610424198503048670", VILLAGE_A),
               _error(2, "王娟平", "610424198601011234", VILLAGE_A),
               _error(10, "刘伟伟", "610424197001015678", VILLAGE_B),
               {"type": "birth", "id": "B-1", "version": 1, "data": {
                   "certificate": {"cert_number": "X610012345", "mother_name": "李娜"},
                   "proposed": {"name": "", "sex": "2", "birth_date": "2026-03-02",
                                "hukou_place": VILLAGE_B}, "mother": {"name": "李娜"},
                   "households": [], "matches": [], "status": "open"}},
               {"type": "duplicates", "id": "D-1", "version": 1, "data": {
                   "members": [{"person_id": "P-7", "name": "何超红", "residence_place": VILLAGE_A},
                               {"person_id": "P-8", "name": "何超红"}],
                   "reasons": [{"code": "SAME_ID", "message": "身份证号相同"}], "status": "open"}}]
    with store.write() as s:
        upsert_shadows(s, records)
        s.execute(update(Case).where(Case.id == "E-2").values(local_state="pending"))
    yield SimpleNamespace(store=store)
    store.close()


def test_ids_filter_and_natural_order(ws):
    assert task_ids(ws, WorkQuery(kind="error")) == ["E-1", "E-2", "E-10"]  # E-2 before E-10
    assert task_ids(ws, WorkQuery(kind="error", states=("open",))) == ["E-1", "E-10"]
    assert task_ids(ws, WorkQuery(states=("pending",))) == ["E-2"]
    assert task_ids(ws, WorkQuery(kind="error", descending=True)) == ["E-10", "E-2", "E-1"]
    assert task_ids(ws, WorkQuery(kind="error", place=VILLAGE_B)) == ["E-10"]
    assert task_ids(ws, WorkQuery(kind="error", states=())) == []


@pytest.mark.parametrize("text, expected", [
    ("张敏", ["E-1"]), ("zmm", ["E-1"]), ("8670", ["E-1"]), ("610424198601011234", ["E-2"]),
    ("没有", []), ("  ", ["E-1", "E-2", "E-10"]),
])
def test_text_search(ws, text, expected):
    assert task_ids(ws, WorkQuery(kind="error", text=text)) == expected


def test_sort_by_name_and_unknown_key(ws):
    from client.domain.names import name_pinyin
    ids = task_ids(ws, WorkQuery(kind="error", sort="name"))
    names = [task_rows(ws, ids)[i].name for i in ids]
    assert sorted(names, key=lambda n: (name_pinyin(n), n)) == names  # as people read them
    with pytest.raises(ValueError):
        task_ids(ws, WorkQuery(sort="birth_date; DROP TABLE cases"))


def test_coded_columns_sort_in_the_given_order(ws):
    """ORDERED_KEYS: the UI gives the codes in the order of their words; unlisted ones last."""
    rows = task_rows(ws, task_ids(ws, WorkQuery()))
    order = tuple(sorted({r.place for r in rows.values() if r.place}, reverse=True))
    ids = task_ids(ws, WorkQuery(sort="place", order=order[:-1]))
    places = [rows[i].place for i in ids]
    ranks = [order.index(p) if p in order[:-1] else len(order) for p in places]
    assert ranks == sorted(ranks) and len(set(places)) > 1


def test_rows_summaries(ws):
    rows = task_rows(ws, ["E-1", "B-1", "D-1", "nope"])
    assert set(rows) == {"E-1", "B-1", "D-1"}
    e = rows["E-1"]
    assert (e.kind, e.state, e.name, e.place) == ("error", "open", "张敏明", VILLAGE_A)
    assert e.problem["code"] == "ID_CHECKSUM" and e.problem["more"] == 1  # errors rank first
    b = rows["B-1"]
    assert b.problem["params"] == {"cert_number": "X610012345", "mother_name": "李娜"}
    assert rows["D-1"].problem["params"]["count"] == 2


def test_overlay_edits_show_in_rows():
    row = summarize("E-5", "error", "pending", {"person": {"name": "甲", "sex": "2"}},
                    {"action": "fix_error", "changes": {"sex": "1"}})
    assert row.sex == "1"


def test_counts_and_places(ws):
    c = counts(ws)
    assert c[("error", "open")] == 2 and c[("error", "pending")] == 1 and c[("birth", "open")] == 1
    assert places(ws, "error") == [VILLAGE_A, VILLAGE_B]

"""advance_shadow / upsert_shadows: a shadow only ever moves forward, overlays survive pulls."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, text

from client.domain.names import pinyin_initials
from client.store import (
    Case,
    CaseInitials,
    advance_shadow,
    new_key,
    open_store,
    reindex_case,
    search_columns,
    upsert_shadows,
    with_overlay,
)
from tests.store.conftest import error_record


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    # Hypothesis runs many examples per test: one store, a fresh case id per example.
    store = open_store(tmp_path_factory.mktemp("shadows") / "h.db", new_key())
    yield store
    store.close()


_ids = itertools.count()


def _row(store, case_id):
    with store.read() as session:
        return session.execute(select(Case.__table__).where(Case.id == case_id)).mappings().one_or_none()


def _initials(store, case_id):
    with store.read() as session:
        return set(session.execute(select(CaseInitials.initials)
                                   .where(CaseInitials.case_id == case_id)).scalars())


NAMES = ["张三", "李四", "单雄信", "曾国藩"]
calls = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 3), st.booleans()), min_size=1, max_size=25)


@given(calls=calls, page_size=st.integers(1, 5))
def test_shadow_never_moves_backwards_or_sideways(shared_store, calls, page_size):
    case_id = f"E-h{next(_ids)}"
    model = None  # (version, data, removed) the store must hold
    max_offered = None  # highest version offered since the case first existed
    for start in range(0, len(calls), page_size):
        page = calls[start:start + page_size]
        records = []
        for version, variant, tombstone in page:
            if tombstone:
                records.append({"type": "error", "id": case_id, "version": version,
                                "removed": {"reason": "withdrawn", "at": f"t{version}"}})
            else:
                records.append(error_record(case_id, version, name=NAMES[variant]))
        with shared_store.write() as session:
            if page_size == 1:
                v = records[0]
                moved = advance_shadow(session, case_id, "error", v["version"], v.get("data"), v.get("removed"))
                result_moved = [case_id] if moved else []
            else:
                result_moved = upsert_shadows(session, records).moved
        # The model: the highest version in the page wins (first of equals), if above the stored one.
        best = None
        for record in records:
            if best is None or record["version"] > best["version"]:
                best = record
        if model is None:
            accept = "data" in best
        else:  # forward only; a tombstone may also remove the very version it follows
            accept = best["version"] > model[0] or (
                "removed" in best and best["version"] == model[0] and model[2] is None)
        assert result_moved == ([case_id] if accept else [])
        if accept:
            data = best.get("data", model[1] if model else None)
            removed = best.get("removed")
            model = (best["version"], data, removed)
        if model is not None:
            max_offered = max(max_offered or 0, best["version"])
        row = _row(shared_store, case_id)
        if model is None:
            assert row is None
            continue
        assert row["shadow_version"] == model[0]
        assert row["shadow_data"] == model[1]
        assert row["removed"] == model[2]
        expected = search_columns("error", model[1])  # search follows the shadow, changed or not
        assert row["name_norm"] == expected.name_norm
        assert _initials(shared_store, case_id) == set(expected.initials)
    # Once the case exists, its shadow ends at the highest version ever offered to it.
    if model is not None:
        assert _row(shared_store, case_id)["shadow_version"] == model[0] == max_offered


def test_replayed_old_acknowledgement_does_not_overwrite_newer_pull(store):
    with store.write() as session:
        assert advance_shadow(session, "E-1", "error", 1, error_record("E-1", 1, name="张三")["data"])
    with store.write() as session:  # a pull brings version 3 (office edited it)
        assert advance_shadow(session, "E-1", "error", 3, error_record("E-1", 3, name="张叁")["data"])
    with store.write() as session:  # the late acknowledgement of our op says version 2
        assert not advance_shadow(session, "E-1", "error", 2, error_record("E-1", 2, name="张三丰")["data"])
        assert not advance_shadow(session, "E-1", "error", 3, error_record("E-1", 3, name="张三丰")["data"])
    row = _row(store, "E-1")
    assert row["shadow_version"] == 3 and row["shadow_data"]["person"]["name"] == "张叁"
    assert row["name_norm"] == "张叁"


def test_overlay_and_local_state_survive_a_pull(store):
    with store.write() as session:
        advance_shadow(session, "E-1", "error", 1, error_record("E-1", 1)["data"])
        case = session.get(Case, "E-1")
        case.overlay = {"changes": {"name": {"from": "张三", "to": "张山"}}}
        case.local_state = "pending"
    with store.write() as session:
        case = session.get(Case, "E-1")  # loaded, then moved underneath by Core: must not go stale
        assert advance_shadow(session, "E-1", "error", 2, error_record("E-1", 2, name="章三")["data"])
        assert case.shadow_version == 2
    row = _row(store, "E-1")
    assert row["overlay"] == {"changes": {"name": {"from": "张三", "to": "张山"}}}
    assert row["local_state"] == "pending" and row["shadow_version"] == 2


def test_tombstones(store):
    with store.write() as session:
        result = upsert_shadows(session, [
            error_record("E-1", 1, name="单田芳"),
            {"type": "error", "id": "E-404", "version": 5, "removed": {"reason": "deleted"}},
        ])
    assert result.moved == ["E-1"] and result.unknown_tombstones == ["E-404"]
    assert _row(store, "E-404") is None
    removed = {"reason": "reassigned", "to": "李四", "at": "2026-11-29T10:00:00Z"}
    with store.write() as session:
        assert advance_shadow(session, "E-1", "error", 2, None, removed)
    row = _row(store, "E-1")
    assert row["removed"] == removed and row["shadow_version"] == 2
    assert row["shadow_data"]["person"]["name"] == "单田芳"  # kept for the "no longer assigned" list
    assert "stf" in _initials(store, "E-1")  # 单 as a surname reads shàn
    with store.write() as session:  # the same tombstone again, or any other version-2 record: no change
        assert not advance_shadow(session, "E-1", "error", 2, None, {"reason": "deleted"})
        assert not advance_shadow(session, "E-1", "error", 2, error_record("E-1", 2)["data"])
    assert _row(store, "E-1")["removed"] == removed
    with store.write() as session:  # reassigned back to us
        assert advance_shadow(session, "E-1", "error", 3, error_record("E-1", 3, name="单田芳")["data"])
    assert _row(store, "E-1")["removed"] is None


def test_tombstone_of_the_current_version_removes_the_case(store):
    with store.write() as session:
        advance_shadow(session, "E-1", "error", 4, error_record("E-1", 4)["data"])
        assert advance_shadow(session, "E-1", "error", 4, None, {"reason": "withdrawn", "at": "t"})
        assert not advance_shadow(session, "E-1", "error", 3, None, {"reason": "deleted", "at": "t"})
    row = _row(store, "E-1")
    assert row["shadow_version"] == 4 and row["removed"] == {"reason": "withdrawn", "at": "t"}


def test_none_is_stored_as_sql_null(store):
    with store.write() as session:
        advance_shadow(session, "E-1", "error", 1, error_record("E-1", 1)["data"])
        case = session.get(Case, "E-1")
        case.overlay = {"x": 1}
    with store.write() as session:
        session.get(Case, "E-1").overlay = None
    with store.read() as session:
        assert session.execute(text("SELECT count(*) FROM cases WHERE overlay IS NULL AND removed IS NULL")
                               ).scalar() == 1


def test_page_with_repeated_ids_keeps_the_highest(store):
    with store.write() as session:
        result = upsert_shadows(session, [error_record("E-1", 4, name="王五"),
                                          error_record("E-1", 2, name="赵六"),
                                          error_record("E-2", 1, name="钱七")])
    assert sorted(result.moved) == ["E-1", "E-2"]
    assert _row(store, "E-1")["shadow_data"]["person"]["name"] == "王五"


def test_search_columns_and_initials_follow_the_shadow(store):
    with store.write() as session:
        advance_shadow(session, "E-1", "error", 1, error_record("E-1", 1, name="王五", id_number="610424199001010011")["data"])
    assert _initials(store, "E-1") == set(pinyin_initials("王五")) >= {"ww"}
    with store.write() as session:
        advance_shadow(session, "E-1", "error", 2, error_record("E-1", 2, name="李四", id_number="")["data"])
    row = _row(store, "E-1")
    assert (row["name_norm"], row["id_number"]) == ("李四", "")
    assert _initials(store, "E-1") == set(pinyin_initials("李四")) >= {"ls"}
    with store.write() as session:
        reindex_case(session, "E-1", "error", {"person": {"name": "赵六", "hukou_place": "610424200002"}})
    row = _row(store, "E-1")
    assert (row["name_norm"], row["place"], row["shadow_version"]) == ("赵六", "610424200002", 2)
    assert _initials(store, "E-1") == set(pinyin_initials("赵六")) >= {"zl"}


@pytest.mark.parametrize("record", [
    {"type": "error", "id": "", "version": 1, "data": {}},
    {"type": "error", "id": "E-1", "version": -1, "data": {}},
    {"type": "error", "id": "E-1", "version": "2", "data": {}},
    {"type": "error", "id": "E-1", "version": True, "data": {}},
    {"type": "error", "id": "E-1", "version": 1},
    {"type": "error", "id": "E-1", "version": 1, "data": ["not", "an", "object"]},
    {"id": "E-1", "version": 1, "data": {}},
])
def test_bad_records_are_refused_before_anything_is_written(store, record):
    with pytest.raises(ValueError):
        with store.write() as session:
            upsert_shadows(session, [error_record("E-ok", 1), record])
    assert _row(store, "E-ok") is None


def test_json_is_stored_compact_utf8(store):
    with store.write() as session:
        advance_shadow(session, "E-1", "error", 1, {"person": {"name": "张三"}})
    with store.read() as session:
        raw = session.execute(text("SELECT shadow_data FROM cases")).scalar()
    assert raw == '{"person":{"name":"张三"}}' and json.loads(raw) == {"person": {"name": "张三"}}


def test_a_pull_keeps_search_on_the_workers_edits(store):
    with store.write() as session:
        advance_shadow(session, "E-1", "error", 1, error_record("E-1", 1, name="张三", place="610424100001")["data"])
        session.get(Case, "E-1").overlay = {"changes": {"name": "章山"}}
        reindex_case(session, "E-1", "error", with_overlay("error", session.get(Case, "E-1").shadow_data,
                                                           {"changes": {"name": "章山"}}))
    with store.write() as session:  # the office moved the person to another village meanwhile
        assert advance_shadow(session, "E-1", "error", 2,
                              error_record("E-1", 2, name="张三", place="610424200002")["data"])
    row = _row(store, "E-1")
    assert (row["name_norm"], row["place"]) == ("章山", "610424200002")
    assert _initials(store, "E-1") == set(pinyin_initials("章山"))


def test_with_overlay():
    data = {"person": {"name": "张三", "sex": "1", "id_number": "x"}, "findings": []}
    assert with_overlay("error", data, None) is data
    assert with_overlay("error", data, {"changes": {"name": "李四", "id_number": None}})["person"] == {
        "name": "李四", "sex": "1"}
    assert with_overlay("birth", {"proposed": None}, {"changes": {"name": "王宝"}})["proposed"] == {"name": "王宝"}
    assert with_overlay("duplicates", data, {"changes": {"name": "x"}}) is data
    assert with_overlay("error", data, {"decision": "confirm"}) is data

"""Supervision services against the live server: a sync reports what the PC still holds (and fetches
no progress), the county account's progress is fetched when asked, cached and opens offline,
reassignment inside the county only, deadlines."""

from __future__ import annotations

import pytest

from client.workspace import Workspace
from sync.client import errors as E
from tests.support.builder import TOWN_A, TOWN_B
from client.domain.idnumber import id_check_char


def test_county_progress_after_workers_sync_and_offline(open_ws, office, server, tmp_path):
    alice = open_ws("alice")
    alice.sync()
    alice.cannot_verify("E-1", "not_local")
    person = alice.task("E-3").data["person"]
    idn = person["id_number"]
    office.edit_person(person["person_id"], {"id_number": idn[:17] + ("1" if idn[17] != "1" else "2")})
    alice.fix_error("E-3", {"id_number": idn[:17] + id_check_char(idn[:17])})
    report = alice.sync()
    assert report.conflicts == ["E-3"]
    county = open_ws("carol", data_dir=tmp_path / "county")
    county.sync()
    assert county.cached_progress("township") is None     # a sync fetches no progress
    county.refresh_own_progress()                          # the page or the report asks for it
    prog = county.cached_progress("township")
    assert prog is not None and prog.level == "township"
    rows = {r["place"]: r for r in prog.rows}
    a = rows[TOWN_A]
    assert (a["open"], a["done"], a["conflict"], a["waiting"]) == (5, 1, 1, 1)
    assert {w["username"] for w in a["workers"] if w["last_sync"]} == {"alice"}
    assert rows[TOWN_B]["open"] == 1 and prog.totals()["open"] == 6
    villages = county.cached_progress("village")
    assert villages is not None and sum(r["open"] for r in villages.rows) == 6
    # drill down and act as the office: cases of a place, read-only history, reassign, deadline
    cases = {c["id"]: c for c in county.place_cases(TOWN_A)}
    assert cases["E-1"]["status"] == "completed" and cases["E-3"]["assigned_to"] == "alice"
    assert county.set_deadline("E-4", "2020-01-01")["version"] == 2
    assert [c["id"] for c in county.place_cases(TOWN_A, "overdue")] == ["E-4"]
    with pytest.raises(E.BadRequest) as refused:   # bob's township does not cover the case
        county.reassign("E-4", "bob", "薛录镇代办")
    assert "辖区" in refused.value.problem["detail"]
    assert county.reassign("E-4", "dora", "同镇代办")["assigned_to"] == "dora"
    detail = county.office_case("E-4")
    assert detail["assigned_to"] == "dora" and [h["action"] for h in detail["history"]][-2:] == [
        "admin_deadline", "admin_reassign"]
    with pytest.raises(E.ForbiddenError):
        alice.place_cases(TOWN_B)
    as_of = county.fetch_progress("township").as_of
    county.close()
    # the county PC offline: the page's figures come from its store, with their time
    offline = Workspace.unlock(tmp_path / "county", "carol", "carol-pw")
    try:
        cached = offline.cached_progress("township")
        assert cached is not None and cached.as_of == as_of
        assert {r["place"]: r["overdue"] for r in cached.rows}[TOWN_A] == 1
        assert offline.cached_progress("village", TOWN_B) is None
    finally:
        offline.close()


def test_a_township_worker_keeps_its_villages(open_ws):
    alice = open_ws("alice")
    alice.sync()
    assert [p.level for p in alice.refresh_own_progress()] == ["village"]
    villages = alice.cached_progress("village")
    assert villages is not None and all(r["place"].startswith(TOWN_A) for r in villages.rows)
    assert sum(r["open"] for r in villages.rows) == 6


def test_a_plain_sync_asks_for_no_progress(open_ws, proxy, tmp_path):
    """The 10-minute background sync of a county PC: its requests through the fault proxy are the
    sync's own (pull, status report), none to /v1/progress (each a count over the jurisdiction)."""
    county = open_ws("carol", data_dir=tmp_path / "county")
    county.sync()
    proxy.reset_stats()
    report = county.sync()
    paths = [e.path.split("?")[0] for e in proxy.events]
    assert report.followup_error is None
    assert paths == ["/v1/sync/changes", "/v1/sync/status"], paths
    proxy.reset_stats()
    county.refresh_own_progress()            # asked for: the overview and the drill-down
    assert sorted(e.path.split("?")[0] for e in proxy.events) == ["/v1/progress", "/v1/progress"]


def test_a_failing_status_report_does_not_fail_the_sync(open_ws, proxy, tmp_path):
    county = open_ws("carol", data_dir=tmp_path / "county")
    county.sync()
    # the status endpoint stays busy through every retry (the fault proxy between PC and server);
    # the sync itself has nothing to fail on
    proxy.inject("status", path="/v1/sync/status", times=-1, status=503, retry_after=0)
    report = county.sync()
    assert report.followup_error == "server_busy" and report.to_dict()["followup_error"] == "server_busy"
    proxy.clear()
    assert county.sync().followup_error is None

"""Supervision against the live server: progress per township/village after workers act (checked
against the server's own tables), deadlines (wire field, PATCH, feeds), reassignment within the
jurisdiction, a city account over two counties."""

from __future__ import annotations

import json

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import select

from client.domain.divisions import division_tree
from sync.server import schema as t
from tests.support.builder import COUNTY, TOWN_A, TOWN_B, DataBuilder, small_dataset
from tests.server.test_push_statuses import fix_op
from tests.support.live_server import make_op


def _rows(client, **params) -> dict[str, dict]:
    r = client.get("/v1/progress", params=params)
    assert r.status_code == 200, r.text
    return {row["place"]: row for row in r.json()["rows"]}


def _server_counts(live_server, digits: int) -> dict[str, Counter]:
    """Open/done/withdrawn per place prefix, straight from the server's cases table."""
    out: dict[str, Counter] = {}
    with live_server.store.read() as conn:
        for r in conn.execute(select(t.cases.c.place, t.cases.c.status)):
            state = {"open": "open", "completed": "done"}.get(r.status, "withdrawn")
            out.setdefault(r.place[:digits], Counter())[state] += 1
    return out


def test_county_sees_each_township_after_workers_act(live_server):
    alice, bob, carol = (live_server.client(u) for u in ("alice", "bob", "carol"))
    today = live_server.clock.now().date()
    # the office sets deadlines: one already passed, one ahead; the wire data carries them
    for cid, d in (("E-3", today - timedelta(days=2)), ("E-4", today + timedelta(days=5))):
        r = carol.request("PATCH", f"/v1/admin/cases/{cid}", json_body={"deadline": d.isoformat()})
        assert r.status_code == 200 and r.json()["version"] == 2, r.text
    recs = alice.bootstrap_all()["records"]
    assert recs["E-3"]["data"]["deadline"] == (today - timedelta(days=2)).isoformat()
    assert "deadline" not in recs["E-1"]["data"]
    # workers act: done, rejected, conflict, and a PC that reports unsent work at the end of its sync
    assert alice.push([make_op("E-1", "cannot_verify", 1, payload={"reason_code": "not_local"})]
                      ).json()["results"][0]["status"] == "applied"
    e2 = recs["E-2"]
    idn = e2["data"]["person"]["id_number"]
    assert alice.push([make_op("E-2", "fix_error", 1, changes={"id_number": {"from": idn, "to": idn[:17]}})]
                      ).json()["results"][0]["status"] == "rejected"
    pid = recs["E-4"]["data"]["person"]["person_id"]
    assert carol.request("PATCH", f"/v1/admin/persons/{pid}", json_body={"changes": {
        "id_number": recs["E-4"]["data"]["person"]["id_number"][:17] + "9"}}).status_code == 200
    assert alice.push([fix_op(recs["E-4"])]).json()["results"][0]["status"] == "conflict"
    live_server.clock.advance(seconds=60)
    assert alice.post("/v1/sync/status", {"device_id": alice.device_id, "pending": {"E-2": 1, "E-4": 2}}
                      ).status_code == 200
    bob_case = bob.bootstrap_all()["records"]["E-5"]
    assert bob.push([fix_op(bob_case)]).json()["results"][0]["status"] == "applied"

    rows = _rows(carol, level="township")
    assert set(rows) == {TOWN_A, TOWN_B}
    truth = _server_counts(live_server, 9)
    for code, row in rows.items():
        assert (row["open"], row["done"], row["withdrawn"]) == (
            truth[code]["open"], truth[code]["done"], truth[code]["withdrawn"])
    a, b = rows[TOWN_A], rows[TOWN_B]
    assert (a["open"], a["done"], a["conflict"], a["rejected"], a["waiting"], a["overdue"]) == (5, 1, 1, 1, 2, 1)
    assert (b["open"], b["done"], b["conflict"], b["rejected"], b["waiting"]) == (0, 1, 0, 0, 0)
    assert a["by_kind"]["error"]["open"] == 3 and a["by_kind"]["birth"]["open"] == 1
    assert a["by_kind"]["error"]["overdue"] == 1 and a["by_kind"]["error"]["done"] == 1
    assert a["name"] == division_tree().get(TOWN_A).name
    assert a["oldest_open_days"] == 0
    workers = {w["username"]: w for w in a["workers"]}
    assert workers["alice"]["last_sync"] is not None and workers["alice"]["pending_ops"] == 3
    assert {w["username"]: w["last_sync"] for w in b["workers"]} == {"bob": None}
    # a week later the oldest open case is a week old; drill down to villages of township A
    live_server.clock.advance(seconds=7 * 86400)
    carol.refresh(), alice.refresh()
    villages = _rows(carol, level="village", place=TOWN_A)
    assert all(code.startswith(TOWN_A) and len(code) == 12 for code in villages)
    assert sum(v["open"] for v in villages.values()) == 5
    assert max(v["oldest_open_days"] or 0 for v in villages.values()) == 7
    # the township worker sees its own villages only; nobody sees outside the jurisdiction
    assert set(_rows(alice, level="village")) <= {c for c in villages}
    assert alice.get("/v1/progress", params={"level": "village", "place": TOWN_B}).status_code == 403
    assert carol.get("/v1/progress", params={"place": "610425"}).status_code == 403
    assert carol.get("/v1/progress", params={"level": "province"}).status_code == 400


def test_deadline_patch_is_checked_and_recorded(live_server):
    alice, carol = live_server.client("alice"), live_server.client("carol")
    boot = alice.bootstrap_all()
    assert alice.request("PATCH", "/v1/admin/cases/E-1", json_body={"deadline": "2027-01-01"}).status_code == 403
    assert carol.request("PATCH", "/v1/admin/cases/E-1", json_body={"deadline": "2027-02-30"}).status_code == 400
    assert carol.request("PATCH", "/v1/admin/cases/E-1", json_body={"due": "2027-01-01"}).status_code == 400
    assert carol.request("PATCH", "/v1/admin/cases/E-404", json_body={"deadline": None}).status_code == 404
    assert carol.request("PATCH", "/v1/admin/cases/E-1", json_body={"deadline": "2027-01-01"}).status_code == 200
    assert carol.request("PATCH", "/v1/admin/cases/E-1", json_body={"deadline": None}).status_code == 200
    changes, _, _ = alice.pull_all(boot["cursor"])
    assert [(c["id"], c["version"], "deadline" in c["data"]) for c in changes] == [("E-1", 3, False)]
    history = carol.get("/v1/admin/cases/E-1").json()["history"]
    assert [(h["actor"], h["action"]) for h in history[1:]] == [("carol", "admin_deadline")] * 2
    with live_server.store.read() as conn:
        assert conn.execute(select(t.cases.c.deadline).where(t.cases.c.case_id == "E-1")).scalar() is None
        # the work trace: each deadline change and the office's case list are chained entries
        trace = [(r.actor, r.action, r.target, json.loads(r.detail).get("deadline", "-"))
                 for r in conn.execute(select(t.audit_log).order_by(t.audit_log.c.seq))
                 if r.action in ("admin_deadline", "admin_list_place_cases")]
    assert trace[:2] == [("carol", "admin_deadline", "E-1", "2027-01-01"),
                         ("carol", "admin_deadline", "E-1", None)]
    assert carol.get("/v1/progress/cases", params={"place": TOWN_A}).status_code == 200
    with live_server.store.read() as conn:
        last = conn.execute(select(t.audit_log).order_by(t.audit_log.c.seq.desc())).first()
    assert (last.actor, last.action, last.target) == ("carol", "admin_list_place_cases", TOWN_A)


def _two_counties():
    """A city (6104) with the small data set's county and a second county, each with a worker."""
    ds = small_dataset()
    tree = division_tree()
    other = "610402"
    town = tree.townships_of(other)[0]
    village = tree.children(town.code)[0]
    b = DataBuilder(seed=5, county=other)
    b.ds = ds
    b._n = {"P": 1000, "H": 1000, "E": 1000, "B": 1000, "D": 1000}
    b.user("dan", "dan-pw", "township", town.code, "秦都专干")
    b.user("erin", "erin-pw", "county", other, "秦都区级")
    b.user("city", "city-pw", "county", "6104", "咸阳市级")
    for _ in range(3):
        hid = b.household(village.code)
        b.error_case(b.person(hid, relation="02", sex="1"), "dan")
    ds.cases[-1]["deadline"] = "2020-01-01"
    return ds, other, town.code


def test_city_sees_its_counties_and_reassignment_stays_inside(live_server_factory):
    ds, other, other_town = _two_counties()
    server = live_server_factory(ds)
    city = server.client("city", "city-pw")
    rows = _rows(city, level="county")
    assert {k: (v["open"], v["overdue"]) for k, v in rows.items()} == {COUNTY: (7, 0), other: (3, 1)}
    assert set(_rows(city, level="township", place=other)) == {other_town}
    carol, erin = server.client("carol"), server.client("erin", "erin-pw")
    assert _rows(carol, level="county") == {COUNTY: _rows(carol, level="county")[COUNTY]}
    # reassign within the county to a worker whose area covers the case: fine; to a worker of
    # another township (the case would be in nobody's scope) or county, or a case outside: refused
    assert carol.post("/v1/admin/cases/E-4/reassign", {"to": "bob"}).status_code == 409
    assert carol.post("/v1/admin/cases/E-4/reassign", {"to": "dora"}).status_code == 200
    r = carol.post("/v1/admin/cases/E-3/reassign", {"to": "dan"})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert carol.post("/v1/admin/cases/E-1001/reassign", {"to": "alice"}).status_code == 404
    assert erin.post("/v1/admin/cases/E-1001/reassign", {"to": "erin"}).status_code == 200
    assert city.post("/v1/admin/cases/E-1002/reassign", {"to": "carol"}).status_code == 409
    assert city.post("/v1/admin/cases/E-1002/reassign", {"to": "erin"}).status_code == 200
    with server.store.read() as conn:
        owners = dict(conn.execute(select(t.cases.c.case_id, t.cases.c.assigned_to)).all())
    assert (owners["E-4"], owners["E-3"], owners["E-1001"], owners["E-1002"]) == ("dora", "alice", "erin", "erin")
    # a feed's deadline arrives on the wire and counts as overdue
    dan = server.client("dan", "dan-pw")
    assert dan.bootstrap_all()["records"]["E-1003"]["data"]["deadline"] == "2020-01-01"
    assert date.fromisoformat("2020-01-01") < server.clock.now().date()


def test_a_feed_carries_the_deadline(live_server, tmp_path):
    import json as _json

    from sync.server.feed_apply import apply_feeds
    from sync.server.feed_read import read_feed
    from tests.server.test_feeds import feed_lines
    lines = feed_lines()
    lines[1]["deadline"] = "2020-01-31"
    lines[2]["deadline"] = "2099/1/31"
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(_json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    feed = read_feed(path)
    assert not feed.errors, feed.errors
    apply_feeds(live_server.store, [feed])
    with live_server.store.read() as conn:
        err, birth = (live_server.store.get_case(conn, c) for c in ("E:ERR-1", "B:BIRTH-1"))
    assert err["deadline"] == "2020-01-31" and _json.loads(err["data"])["deadline"] == "2020-01-31"
    assert birth["deadline"] == "2099-01-31"
    rows = _rows(live_server.client("carol"), level="township")
    assert rows[TOWN_A]["overdue"] == 1
    bad = tmp_path / "bad.jsonl"
    lines[1]["deadline"] = "next week"
    bad.write_text("\n".join(_json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    assert [e.field for e in read_feed(bad).errors] == ["deadline"]

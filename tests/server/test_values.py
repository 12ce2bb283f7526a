"""Integrity of values (issue 11): ID numbers normalized before they are stored or sent, on the
client and on the server; maximum lengths and invisible characters refused; office edits through
the same rule engine as worker ops (a trainer may plant errors on a training server only)."""

from __future__ import annotations

import pytest

from client.domain.idnumber import id_check_char
from client.workspace.error_actions import clean_changes
from client.workspace.errors import ActionNotAllowed
from tests.support.builder import make_id
from tests.support.live_server import make_op


def _full_width(idn: str) -> str:
    """６１０４２４ １９８… with a lower-case check character: how it arrives from a phone keyboard."""
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c.lower() for c in idn)
    return wide[:6] + " " + wide[6:14] + "　" + wide[14:]


def _valid_x_id() -> str:
    from datetime import date
    for seq in range(1000):
        idn = make_id("610424", date(1980, 5, 1), seq)
        if idn.endswith("X"):
            return idn
    raise AssertionError("no ID ending in X")


def test_client_normalizes_id_numbers_before_they_are_queued():
    idn = _valid_x_id()
    out = clean_changes({"id_number": _full_width(idn), "mother_id_number": " " + idn.lower() + " ",
                         "name": "  王伟 "})
    assert out == {"id_number": idn, "mother_id_number": idn, "name": "王伟"}
    with pytest.raises(ActionNotAllowed, match="过长"):
        clean_changes({"name": "王" * 51})
    with pytest.raises(ActionNotAllowed, match="控制字符"):
        clean_changes({"name": "王\u202e伟"})


def test_server_stores_a_full_width_id_number_normalized(live_server):
    alice, carol = live_server.client("alice"), live_server.client("carol")
    rec = alice.bootstrap_all()["records"]["E-1"]
    person = rec["data"]["person"]
    fixed = person["id_number"][:17] + id_check_char(person["id_number"][:17])
    op = make_op("E-1", "fix_error", rec["version"],
                 changes={"id_number": {"from": person["id_number"], "to": _full_width(fixed)}})
    res = alice.push([op]).json()["results"][0]
    assert res["status"] in ("applied", "applied_with_merge"), res
    stored = carol.get(f"/v1/admin/persons/{person['person_id']}").json()
    assert stored["id_number"] == fixed
    with live_server.store.read() as conn:      # exact-match lookups (parents, children) find it
        assert live_server.store.lookup(conn).by_id_number(fixed)["person_id"] == person["person_id"]
    long = make_op("E-2", "fix_error", 1, changes={"former_name": {"from": None, "to": "名" * 60}})
    res = alice.push([long]).json()["results"][0]
    assert res["status"] == "rejected" and res["errors"][0]["code"] == "value_refused"


def test_office_edits_go_through_the_rule_engine(live_server_factory):
    real = live_server_factory()
    carol = real.client("carol")
    pid = carol.get("/v1/admin/cases/E-3").json()["record"]["data"]["person"]["person_id"]

    def edit(who, changes, **kw):
        return who.request("PATCH", f"/v1/admin/persons/{pid}", json_body={"changes": changes, **kw})

    r = edit(carol, {"birth_date": "9999-99-99"})
    assert r.status_code == 422 and r.json()["code"] == "validation_failed" and r.json()["errors"]
    r = edit(carol, {"name": "王\u202e伟"})
    assert r.status_code == 400 and "控制字符" in r.json()["detail"]
    assert edit(carol, {"former_name": "名" * 51}).status_code == 400
    assert carol.get(f"/v1/admin/persons/{pid}").json().get("birth_date") != "9999-99-99"
    assert edit(carol, {"former_name": "王小"}).status_code == 200        # a clean edit passes
    # planting errors: only a trainer, only on a training server
    assert edit(real.client("admin"), {"birth_date": "9999-99-99"}, plant_errors=True).status_code == 403
    school = live_server_factory(training=True)
    trainer = school.client("trainer")
    r = edit(trainer, {"birth_date": "9999-99-99"}, plant_errors=True)
    assert r.status_code == 200, r.text
    assert trainer.get(f"/v1/admin/persons/{pid}").json()["birth_date"] == "9999-99-99"

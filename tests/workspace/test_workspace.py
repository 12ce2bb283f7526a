"""The services API against the real reference server: login/unlock, per-user stores, every
action with validation, folding and chaining, conflicts, discard and the outbox."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy import select

from client.store import OutboxOp, set_state
from client.workspace import (
    ActionNotAllowed,
    TaskNotFound,
    TaskReadOnly,
    ValidationRefused,
    Workspace,
    user_dir,
)
from sync.client import errors as E
from sync.client.engine import OWNER
from tests.support.sync_env import (
    FAST,
    check_invariants,
    corrected_id,
    person_of,
)


def test_login_sync_and_unlock_offline(open_ws, tmp_path, server, proxy):
    ws = open_ws()
    report = ws.sync()
    assert report.bootstrapped and report.pulled == 6 and report.digest_ok
    assert {t.id for t in ws.tasks()} == {"E-1", "E-2", "E-3", "E-4", "B-1", "D-1"}
    assert ws.user["username"] == "alice"
    ws.close()
    proxy.set_offline(True)  # the VPN is down: unlock works without the server
    ws2 = Workspace.unlock(tmp_path / "data", "alice", "alice-pw",
                           transport_options={"retry": FAST})
    try:
        assert len(ws2.tasks(kind="error")) == 4
        with pytest.raises(E.WrongPassword) as ei:
            Workspace.unlock(tmp_path / "data", "alice", "nope")
        assert "密码错误" in ei.value.message
        with pytest.raises(E.NoLocalStore):
            Workspace.unlock(tmp_path / "data", "bob", "bob-pw")
        with pytest.raises(E.OfflineError):
            ws2.sync()
    finally:
        ws2.close()


def test_wrong_password_at_login(open_ws):
    with pytest.raises(E.LoginFailed) as ei:
        open_ws(password="wrong")
    assert "用户名或密码错误" in ei.value.message


def test_password_changed_online_rewraps_key(open_ws, tmp_path, server):
    ws = open_ws()
    ws.sync()
    ws.close()
    other = server.client("alice")             # changed from another PC (an admin's reset: test_trust_edges)
    r = other.post("/v1/auth/password", {"old_password": "alice-pw", "new_password": "New-secret-1",
                                         "device_id": other.device_id})
    assert r.status_code == 200, r.text
    with pytest.raises(E.PasswordChanged):
        open_ws(password="New-secret-1")
    ws = open_ws(password="New-secret-1", previous_password="alice-pw")
    assert len(ws.tasks()) == 6  # same store, same data
    ws.close()
    Workspace.unlock(tmp_path / "data", "alice", "New-secret-1").close()
    with pytest.raises(E.WrongPassword):
        Workspace.unlock(tmp_path / "data", "alice", "alice-pw")


def test_each_user_has_own_store_and_outbox(open_ws, tmp_path):
    alice = open_ws()
    alice.sync()
    idn = person_of(alice, "E-1")["id_number"]
    alice.fix_error("E-1", {"id_number": corrected_id(idn)})
    bob = open_ws("bob")
    bob.sync()
    assert {t.id for t in bob.tasks()} == {"E-5"}
    assert bob.pending_count() == 0 and alice.pending_count() == 1
    assert user_dir(tmp_path / "data", "alice") != user_dir(tmp_path / "data", "bob")
    # a store whose owner is someone else is never pushed as this user
    with bob.store.write() as s:
        set_state(s, OWNER, "alice")
    with pytest.raises(E.WrongUser):
        bob.sync()


def test_refresh_token_in_keyring_lets_unlock_sync(open_ws, tmp_path, memory_keyring):
    ws = open_ws()
    ws.sync()
    assert any("refresh:alice@" in k[1] for k in memory_keyring.data)
    ws.close()
    ws = Workspace.unlock(tmp_path / "data", "alice", "alice-pw",
                          transport_options={"retry": FAST})
    try:
        assert ws.sync().digest_ok  # no password needed: the refresh token came from the keyring
    finally:
        ws.close()


def test_without_keyring_the_password_is_asked_again(open_ws, tmp_path):
    keyring.set_keyring(fail.Keyring())
    ws = open_ws()
    ws.sync()
    ws.close()
    ws = Workspace.unlock(tmp_path / "data", "alice", "alice-pw",
                          transport_options={"retry": FAST})
    try:
        with pytest.raises(E.AuthExpired) as ei:
            ws.sync()
        assert "重新输入密码" in ei.value.message
        ws.reauthenticate("alice-pw")
        assert ws.sync().digest_ok
    finally:
        ws.close()


def test_fix_error_validates_folds_and_syncs(open_ws, server):
    ws = open_ws()
    ws.sync()
    person = person_of(ws, "E-1")
    with pytest.raises(ValidationRefused) as ei:
        ws.fix_error("E-1", {"name": "张敏"})  # the ID number error is still there
    assert "ID_CHECKSUM" in [f.code for f in ei.value.errors]
    assert ws.pending_count() == 0
    with pytest.raises(ActionNotAllowed):
        ws.fix_error("E-1", {"person_id": "P-999"})
    changes = ws.fix_error("E-1", {"id_number": corrected_id(person["id_number"])}, note="户口簿")
    assert changes.tasks == {"E-1"} and changes.outbox
    ws.fix_error("E-1", {"name": "张敏"})  # folded into the unsent op
    box = ws.outbox()
    assert len(box) == 1 and set(box[0].changes) == {"id_number", "name"}
    assert box[0].changes["name"] == {"from": person["name"], "to": "张敏"}
    view = ws.task("E-1")
    assert view.status == "pending" and view.data["person"]["name"] == "张敏"
    assert view.shadow["person"]["name"] == person["name"]
    assert [a["field"] for a in ws.audit("E-1")] == ["id_number", "name"]
    assert [t.id for t in ws.tasks(text="张敏")] == ["E-1"]
    report = ws.sync()
    assert report.pushed == 1 and report.pending == 0
    view = ws.task("E-1")
    assert view.status == "done" and view.removed["reason"] == "completed"
    assert server.store is not None
    check_invariants(ws, server)
    with pytest.raises(TaskReadOnly):
        ws.fix_error("E-1", {"name": "张三"})


def test_sent_op_is_frozen_and_later_edits_chain(open_ws, server, proxy):
    ws = open_ws()
    ws.sync()
    person = person_of(ws, "E-2")
    ws.fix_error("E-2", {"id_number": corrected_id(person["id_number"])})
    proxy.set_offline(True)
    with pytest.raises(E.OfflineError):
        ws.sync()
    first = ws.outbox()[0]
    assert first.attempts >= 1  # sent (or tried): frozen
    ws.fix_error("E-2", {"former_name": "王娟"})
    box = ws.outbox()
    assert len(box) == 2 and box[1].prev_op_id == first.op_id
    assert box[1].changes == {"former_name": {"from": None, "to": "王娟"}}
    assert box[0].changes == first.changes  # the frozen op did not change
    proxy.set_offline(False)
    report = ws.sync()
    assert report.pushed == 2 and report.conflicts == [] and ws.pending_count() == 0
    pid = person["person_id"]
    final = server.client("carol").get(f"/v1/admin/persons/{pid}").json()
    assert final["former_name"] == "王娟"
    assert final["id_number"] == corrected_id(person["id_number"])
    check_invariants(ws, server)


def test_confirm_error_needs_no_errors_and_explains_warnings(open_ws, office, server):
    ws = open_ws()
    ws.sync()
    person = person_of(ws, "E-3")
    with pytest.raises(ValidationRefused):
        ws.confirm_error("E-3", "核实无误")  # an error cannot be confirmed away
    with pytest.raises(ActionNotAllowed):
        ws.confirm_error("E-3", "  ")
    office.edit_person(person["person_id"], {"id_number": corrected_id(person["id_number"])})
    ws.sync()
    ws.confirm_error("E-3", "已电话核实")
    assert ws.sync().pushed == 1
    assert office.case("E-3")["status"] == "completed"
    check_invariants(ws, server)


def test_cannot_verify_and_discard(open_ws, server):
    ws = open_ws()
    ws.sync()
    with pytest.raises(ActionNotAllowed):
        ws.cannot_verify("E-4", "lazy")
    ws.cannot_verify("E-4", "not_local", note="已迁出")
    assert ws.task("E-4").status == "pending"
    ws.discard("E-4")
    assert ws.task("E-4").status == "open" and ws.pending_count() == 0
    assert [o.state for o in ws.outbox(include_finished=True)] == ["superseded"]
    ws.cannot_verify("E-4", "unverifiable")
    assert ws.sync().pushed == 1
    check_invariants(ws, server)


def test_confirm_birth(open_ws, office, server):
    ws = open_ws()
    ws.sync()
    view = ws.task("B-1")
    assert view.kind == "birth"
    with pytest.raises(ActionNotAllowed):
        ws.confirm_birth("B-1", {"name": "张小花"}, relation="20")  # no household chosen
    with pytest.raises(ActionNotAllowed):
        ws.confirm_birth("B-1", {"name": "张小花"}, household_id="H-404", relation="20")
    sex = view.data["proposed"]["sex"]
    relation = "20" if sex == "1" else "30"
    ws.confirm_birth("B-1", {"name": "张小花"}, household_id="H-1", relation=relation)
    assert ws.task("B-1").data["proposed"]["name"] == "张小花"
    report = ws.sync()
    assert report.pushed == 1, (report, ws.task("B-1").errors)
    assert office.case("B-1")["status"] == "completed"
    check_invariants(ws, server)


def test_reject_birth_requires_a_known_reason(open_ws, server):
    ws = open_ws()
    ws.sync()
    with pytest.raises(ActionNotAllowed):
        ws.reject_birth("B-1", "because")
    with pytest.raises(ActionNotAllowed):
        ws.reject_birth("B-1", "already_registered")
    ws.reject_birth("B-1", "not_local", note="随父母外出")
    assert ws.sync().pushed == 1
    check_invariants(ws, server)


def test_merge_duplicates(open_ws, office, server):
    ws = open_ws()
    ws.sync()
    members = ws.task("D-1").data["members"]
    ids = [m["person_id"] for m in members]
    with pytest.raises(ActionNotAllowed):
        ws.merge_duplicates("D-1", "P-nobody", {})
    with pytest.raises(ActionNotAllowed):
        ws.merge_duplicates("D-1", ids[0], {"name": "P-nobody"})
    ws.merge_duplicates("D-1", ids[0], {"relation": ids[0]})
    report = ws.sync()
    assert report.pushed == 1, ws.task("D-1")
    assert office.case("D-1")["status"] == "completed"
    check_invariants(ws, server)


def test_mark_not_duplicate_checks_id_corrections(open_ws, server):
    ws = open_ws()
    ws.sync()
    ids = [m["person_id"] for m in ws.task("D-1").data["members"]]
    with pytest.raises(ValidationRefused):
        ws.mark_not_duplicate("D-1", "不同的人", {ids[1]: "61042419700102917X"})
    with pytest.raises(ActionNotAllowed):
        ws.mark_not_duplicate("D-1", "")
    ws.mark_not_duplicate("D-1", "不同的人")
    assert ws.sync().pushed == 1
    check_invariants(ws, server)


def test_task_filters_and_counts(open_ws):
    ws = open_ws()
    ws.sync()
    assert ws.count() == 6 and ws.count(kind="error") == 4
    e1 = ws.task("E-1").data["person"]
    assert [t.id for t in ws.tasks(text=e1["id_number"])] == ["E-1"]
    assert ws.tasks(text="不存在的名字") == []
    assert ws.tasks(status="pending") == []
    with pytest.raises(TaskNotFound):
        ws.task("E-404")


def test_outbox_rows_belong_to_the_user(open_ws):
    ws = open_ws()
    ws.sync()
    ws.cannot_verify("E-4", "unverifiable")
    with ws.store.read() as s:
        assert set(s.execute(select(OutboxOp.owner)).scalars()) == {"alice"}
    assert ws.outbox()[0].owner == "alice"


"""The hash-chained audit log (工作留痕, issue 11): what it covers, who reads it, and that
`hecha server audit verify` names the first entry of a chain that was edited, cut, extended or
reordered; `hecha server audit export` writes .xlsx, .csv and .jsonl."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.live_server import make_op

ROOT = Path(__file__).resolve().parents[2]


def _hecha(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "client", "server", "audit", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def worked(live_server_factory, tmp_path):
    """A server after a day of work: logins, a wrong password, ops, office reads and edits, account
    changes, a logout; stopped, so its database file can be examined and tampered with."""
    server = live_server_factory(db_path=tmp_path / "audit.db")
    wrong = server.client()
    assert wrong.login("alice", "nope").status_code == 401
    alice, carol, admin = server.client("alice"), server.client("carol"), server.client("admin")
    alice.push([make_op("E-1", "cannot_verify", 1, payload={"reason_code": "not_local"}),
                make_op("E-2", "confirm_error", 1, payload={"reason": "核实无误"})])
    pid = carol.get("/v1/admin/cases/E-3").json()["record"]["data"]["person"]["person_id"]
    assert carol.get(f"/v1/admin/persons/{pid}").status_code == 200
    assert carol.request("PATCH", f"/v1/admin/persons/{pid}",
                         json_body={"changes": {"former_name": "王小"}, "note": "群众来电"}).status_code == 200
    assert carol.post("/v1/admin/cases/E-4/reassign", {"to": "dora"}).status_code == 200
    assert admin.request("PATCH", "/v1/admin/users/bob", json_body={"active": False}).status_code == 200
    assert alice.post("/v1/auth/logout", {"refresh_token": alice.refresh_token}).status_code == 204
    entries = admin.get("/v1/admin/audit", params={"limit": 5000}).json()["entries"]
    server.stop()
    return tmp_path / "audit.db", entries, pid


@pytest.mark.parametrize("db_backend", ["sqlite"])   # the database file is examined
def test_the_trace_covers_logins_ops_office_work_and_accounts(worked):
    _, entries, pid = worked
    seen = {(e["actor"], e["action"], e["target"], e["outcome"]) for e in entries}
    assert ("alice", "login", "alice", "failed") in seen
    assert ("alice", "login", "alice", "ok") in seen
    assert ("alice", "op:cannot_verify", "E-1", "applied") in seen
    assert ("alice", "op:confirm_error", "E-2", "rejected") in seen
    assert ("carol", "admin_read_person", pid, "ok") in seen
    assert ("carol", "admin_edit_person", pid, "ok") in seen
    assert ("carol", "admin_reassign", "E-4", "ok") in seen
    assert ("admin", "account_change", "bob", "ok") in seen
    assert ("alice", "logout", next(e["target"] for e in entries if e["action"] == "logout"), "ok") in seen
    edit = next(e for e in entries if e["action"] == "admin_edit_person")
    assert json.loads(edit["detail"]) == {"fields": ["former_name"], "note": "群众来电"}
    assert edit["address"] == "127.0.0.1" and edit["role"] == "county"
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)
    assert all(e["prev_hash"] == p["hash"] for p, e in zip(entries, entries[1:]))


def test_only_auditors_and_admins_read_the_audit(live_server_factory):
    from tests.support.builder import small_dataset
    ds = small_dataset()
    ds.accounts.append({"username": "aud", "password": "aud-pw", "role": "auditor", "jurisdiction": "610424",
                        "display_name": "审计员"})
    server = live_server_factory(ds)
    for name in ("alice", "carol"):
        r = server.client(name).get("/v1/admin/audit")
        assert r.status_code == 403 and r.json()["code"] == "forbidden", name
    aud = server.client("aud", "aud-pw")
    entries = aud.get("/v1/admin/audit", params={"user": "alice"}).json()["entries"]
    assert {e["actor"] for e in entries} == {"alice"} and entries[0]["action"] == "login"
    # reading the audit is itself in the audit
    again = aud.get("/v1/admin/audit", params={"user": "aud"}).json()["entries"]
    assert [e["action"] for e in again][-1] == "audit_read"


@pytest.mark.parametrize("db_backend", ["sqlite"])   # the database file is examined
def test_verify_accepts_the_untouched_chain(worked):
    db, entries, _ = worked
    out = _hecha("verify", "--db", str(db))
    assert out.returncode == 0 and f"{len(entries) + 1} 条" in out.stdout   # + the admin's audit_read


@pytest.mark.parametrize("db_backend", ["sqlite"])   # the database file is examined
@pytest.mark.parametrize("tamper,first_bad", [
    ("UPDATE audit_log SET outcome = 'ok' WHERE seq = 1", 1),                       # edited
    ("UPDATE audit_log SET detail = '{}' WHERE seq = 5", 5),                         # edited detail
    ("DELETE FROM audit_log WHERE seq = 4", 5),                                      # deleted
    ("INSERT INTO audit_log SELECT 1000, at, 'mallory', role, address, device, action, target, outcome,"
     " detail, prev_hash, hash FROM audit_log WHERE seq = 3", 1000),                # inserted
    ("swap", 3),                                                                     # reordered
    ("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)", None),    # cut off the end
])
def test_verify_names_the_first_broken_entry(worked, tmp_path, tamper, first_bad):
    db, entries, _ = worked
    copy = tmp_path / "tampered.db"
    shutil.copy(db, copy)
    shutil.copy(str(db) + ".key", str(copy) + ".key")
    con = sqlite3.connect(copy)
    if tamper == "swap":
        cols = "at, actor, role, address, device, action, target, outcome, detail, prev_hash, hash"
        three = con.execute(f"SELECT {cols} FROM audit_log WHERE seq = 3").fetchone()
        four = con.execute(f"SELECT {cols} FROM audit_log WHERE seq = 4").fetchone()
        sets = ", ".join(f"{c.strip()} = ?" for c in cols.split(","))
        con.execute(f"UPDATE audit_log SET {sets} WHERE seq = 3", four)
        con.execute(f"UPDATE audit_log SET {sets} WHERE seq = 4", three)
    else:
        con.execute(tamper)
    con.commit()
    con.close()
    out = _hecha("verify", "--db", str(copy))
    assert out.returncode == 1, out.stdout
    last = len(entries) + 1
    want = first_bad if first_bad is not None else last
    assert f"第 {want} 条" in out.stderr, out.stderr


@pytest.mark.parametrize("db_backend", ["sqlite"])   # the database file is examined
def test_export_xlsx_csv_jsonl_with_filters(worked, tmp_path):
    db, entries, _ = worked
    alice = [e for e in entries if e["actor"] == "alice"]
    out = _hecha("export", "--db", str(db), "--out", str(tmp_path / "a.jsonl"), "--user", "alice")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [x["seq"] for x in lines] == [e["seq"] for e in alice] and lines[0]["hash"] == alice[0]["hash"]
    assert _hecha("export", "--db", str(db), "--out", str(tmp_path / "all.csv")).returncode == 0
    with (tmp_path / "all.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    # header, the admin's audit_read and the first export
    assert rows[0][0] == "序号" and len(rows) == len(entries) + 3
    assert _hecha("export", "--db", str(db), "--out", str(tmp_path / "x.xlsx"),
                  "--since", "2000-01-01", "--until", "2999-01-01").returncode == 0
    sheet = list(load_workbook(tmp_path / "x.xlsx").active.values)
    assert sheet[0][0] == "序号" and len(sheet) >= len(entries) + 1
    assert _hecha("export", "--db", str(db), "--out", str(tmp_path / "x.pdf")).returncode == 2
    # the exports are in the trace, and the chain still holds
    assert _hecha("verify", "--db", str(db)).returncode == 0


def _rewrite(db: Path, *, edit_seq: int | None = None, keep_upto: int | None = None) -> None:
    """What a database administrator could do: edit an entry or cut the log, then recompute every
    later hash and the head, so the chain is self-consistent again."""
    from sync.server.audit import FIELDS, entry_hash
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    if keep_upto is not None:
        con.execute("DELETE FROM audit_log WHERE seq > ?", (keep_upto,))
    prev = "0" * 64
    for row in con.execute("SELECT * FROM audit_log ORDER BY seq").fetchall():
        e = {k: row[k] for k in FIELDS}
        if e["seq"] == edit_seq:
            e["outcome"] = "ok"
        e["prev_hash"] = prev
        e["hash"] = entry_hash(e)
        con.execute("UPDATE audit_log SET outcome = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                    (e["outcome"], e["prev_hash"], e["hash"], e["seq"]))
        prev, last = e["hash"], e["seq"]
    con.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{last}:{prev}",))
    con.commit()
    con.close()


@pytest.mark.parametrize("db_backend", ["sqlite"])   # the database file is examined
def test_anchors_outside_the_database_show_a_rewritten_or_cut_chain(worked, tmp_path):
    db, entries, _ = worked
    anchor = Path(f"{db}.audit-anchor")
    assert stat.S_IMODE(anchor.stat().st_mode) == 0o600
    anchors = [json.loads(x) for x in anchor.read_text().splitlines()]
    last = entries[-1]["seq"] + 1                   # + the admin's audit_read
    assert anchors[-1]["seq"] == last and len(anchors) >= 10
    head = _hecha("head", "--db", str(db))
    assert head.returncode == 0 and f"序号 {last} " in head.stdout and anchors[-1]["hash"] in head.stdout
    ok = _hecha("verify", "--db", str(db))          # the server's anchor file beside the database
    assert ok.returncode == 0 and "锚点" in ok.stdout and "一致" in ok.stdout, ok.stdout + ok.stderr
    failed_login = next(e for e in entries if e["outcome"] == "failed")["seq"]
    for name, rewrite, first_bad in (
            ("rewritten.db", {"edit_seq": failed_login}, min(a["seq"] for a in anchors if a["seq"] >= failed_login)),
            ("cut.db", {"keep_upto": last - 5}, min(a["seq"] for a in anchors if a["seq"] > last - 5))):
        copy = tmp_path / name
        shutil.copy(db, copy)
        shutil.copy(f"{db}.key", f"{copy}.key")
        _rewrite(copy, **rewrite)
        alone = _hecha("verify", "--db", str(copy))     # self-consistent: the chain alone cannot tell
        assert alone.returncode == 0 and "未核对锚点" in alone.stdout, alone.stderr
        out = _hecha("verify", "--db", str(copy), "--anchor", str(anchor))
        assert out.returncode == 1 and f"第 {first_bad} 条" in out.stderr, (name, out.stdout, out.stderr)
        assert _hecha("verify", "--db", str(copy), "--anchor", str(anchor), "--no-anchor").returncode == 0
    assert _hecha("verify", "--db", str(db), "--anchor", str(tmp_path / "none")).returncode == 2


def test_the_server_anchors_each_committed_head(live_server_factory, tmp_path):
    anchor = tmp_path / "anchors" / "audit-anchor"
    anchor.parent.mkdir()
    server = live_server_factory(audit_anchor_file=str(anchor))
    alice = server.client("alice")
    r = alice.push([make_op("E-1", "cannot_verify", 1, payload={"reason_code": "not_local"}),
                    make_op("E-2", "cannot_verify", 1, payload={"reason_code": "not_local"})])
    assert r.status_code == 200
    from sync.server.audit import head
    with server.store.read() as conn:
        seq, hash_, at = head(conn)
    lines = [json.loads(x) for x in anchor.read_text().splitlines()]
    assert lines[-1] == {"seq": seq, "hash": hash_, "at": at}
    assert stat.S_IMODE(anchor.stat().st_mode) == 0o600
    # a transaction that rolls back anchors nothing (its entries are gone with it)
    with pytest.raises(ZeroDivisionError), server.store.write() as conn:
        server.app.state.hecha.audit.append(conn, actor="x", action="test")
        1 / 0
    with server.store.write() as conn:
        pass
    assert [json.loads(x) for x in anchor.read_text().splitlines()] == lines
    # a wider anchor file is refused when the server starts
    anchor.chmod(0o644)
    from sync.server.app import create_app
    with pytest.raises(RuntimeError, match="0600"):
        create_app(server.config)

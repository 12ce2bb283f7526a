"""Classroom: `hecha server --seed demo --classroom N` (accounts printed and in an .xlsx), trainees
with private copies that never collide, and the trainer's console (progress .xlsx, a conflict made
while trainees are offline, a withdrawn case, reset), all over the real server CLI and HTTP."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from client.domain.idnumber import check_id_number
from client.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
TRAINEES = 4


def hecha(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "client", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    d = tmp_path_factory.mktemp("classroom")
    proc = subprocess.Popen([sys.executable, "-m", "client", "server", "--seed", "demo", "--people", "15000",
                             "--classroom", str(TRAINEES), "--db", str(d / "class.db"), "--port", "0"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    url = None
    for line in proc.stdout:  # the server prints its address once it listens
        lines.append(line.rstrip("\n"))
        m = re.match(r"同步服务器：(http://\S+)", line)
        if m:
            url = m.group(1)
            break
    assert url, "\n".join(lines)
    yield {"url": url, "dir": d, "out": lines}
    proc.terminate()
    proc.wait(30)
    proc.stdout.close()


def accounts_of(classroom) -> dict[str, dict]:
    wb = load_workbook(classroom["dir"] / "class-账号.xlsx")
    rows = list(wb.active.iter_rows(values_only=True))
    head = rows[0]
    return {r[0]: dict(zip(head, r)) for r in rows[1:]}


def login(classroom, tmp_path, username) -> Workspace:
    pw = accounts_of(classroom)[username]["密码"]
    return Workspace.login(tmp_path / username, classroom["url"], username, pw)


def trainer_cli(classroom, *args, **kw):
    pw = accounts_of(classroom)["trainer"]["密码"]
    return hecha("trainer", "--server", classroom["url"], "--password", pw, *args, **kw)


def test_accounts_are_printed_and_written_to_xlsx(classroom):
    accounts = accounts_of(classroom)
    assert list(accounts) == ["trainer"] + [f"t{k:02d}" for k in range(1, TRAINEES + 1)]
    out = "\n".join(classroom["out"])
    assert f"已为 {TRAINEES} 名学员各复制一份教学任务" in out
    assert "账号表已写入" in out
    for name, a in accounts.items():
        assert re.search(rf"^\s+{name}\s+密码 {re.escape(a['密码'])}\s", out, re.M), name
        assert a["辖区"] and a["角色"]
    assert accounts["t01"]["显示名"].startswith("学员01（")
    assert len({a["密码"] for a in accounts.values()}) >= 2


def test_trainees_get_the_same_cases_on_their_own_records(classroom, tmp_path):
    seen_cases, seen_persons, seen_ids = set(), set(), set()
    titles = None
    for name in ("t01", "t02", "t03"):
        ws = login(classroom, tmp_path, name)
        try:
            ws.sync()
            tasks = ws.tasks()
        finally:
            ws.close()
        assert len(tasks) >= 10
        ids = {t.id for t in tasks}
        persons, numbers = set(), set()
        for t in tasks:
            people = ([t.data["person"]] if t.kind == "error" else
                      t.data.get("members") or [] if t.kind == "duplicates" else
                      [p for p in (t.data.get("mother"), t.data.get("father")) if p])
            for p in people:
                persons.add(p["person_id"])
                if p.get("id_number") and check_id_number(p["id_number"]).valid:
                    numbers.add(p["id_number"])
        assert not ids & seen_cases and not persons & seen_persons and not numbers & seen_ids
        seen_cases |= ids
        seen_persons |= persons
        seen_ids |= numbers
        mine = sorted((t.kind, t.title) for t in tasks)
        assert titles is None or mine == titles  # the same teaching cases for everyone
        titles = mine


def _birth_mismatch_case(ws):
    for t in ws.tasks(kind="error"):
        if any(f["code"] == "ID_BIRTH_MISMATCH" for f in t.data.get("findings", [])):
            return t
    raise AssertionError("no ID_BIRTH_MISMATCH teaching case")


def test_trainer_conflict_while_trainees_are_offline(classroom, tmp_path):
    ws = {n: login(classroom, tmp_path, n) for n in ("t01", "t02")}
    try:
        fixed = {}
        for n, w in ws.items():
            w.sync()
            t = _birth_mismatch_case(w)
            birth = check_id_number(t.data["person"]["id_number"]).birth_date
            w.fix_error(t.id, {"birth_date": birth.isoformat()}, note="按证号改正")  # offline: not sent
            fixed[n] = t.id
        r = trainer_cli(classroom, "conflict", "--rule", "ID_BIRTH_MISMATCH", "--field", "birth_date",
                        "--value", "1999-09-09", "--users", "t01,t02")
        assert r.returncode == 0, r.stderr
        assert "已为 2/2 名学员修改任务（规则 ID_BIRTH_MISMATCH，异常数据）" in r.stdout
        for n, w in ws.items():
            report = w.sync()
            assert fixed[n] in report.conflicts
            view = w.task(fixed[n])
            assert view.status == "conflict"
            assert view.conflict["fields"]["birth_date"]["server"] == "1999-09-09"
        # the same teaching case again: both are in conflict now, no open copy is left to edit
        r = trainer_cli(classroom, "conflict", "--rule", "ID_BIRTH_MISMATCH", "--field", "birth_date",
                        "--value", "1999-09-10", "--users", "t01")
        assert r.returncode in (0, 1)
    finally:
        for w in ws.values():
            w.close()


def test_trainer_withdraws_a_case_for_the_class(classroom, tmp_path):
    w = login(classroom, tmp_path, "t03")
    try:
        w.sync()
        victim = next(t for t in w.tasks(kind="duplicates"))
        r = trainer_cli(classroom, "withdraw", "--kind", "duplicates", "--name", victim.title.split("、")[0])
        assert r.returncode == 0, r.stderr
        assert re.search(rf"t03\s+{victim.id}\s+已撤回", r.stdout)
        report = w.sync()
        assert victim.id in report.gone or victim.id in report.removed or w.task(victim.id).removed
    finally:
        w.close()


def test_progress_report_reads_back(classroom, tmp_path):
    w = login(classroom, tmp_path, "t04")
    try:
        w.sync()
        t = w.tasks(kind="error")[0]
        w.cannot_verify(t.id, "unverifiable", note="练习")
        assert w.sync().pushed == 1
    finally:
        w.close()
    out = tmp_path / "进度.xlsx"
    r = trainer_cli(classroom, "report", "--xlsx", str(out))
    assert r.returncode == 0, r.stderr
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][0] == "学员" and rows[0][8] == "完成率"
    by_user = {row[0]: row for row in rows[1:]}
    assert set(by_user) == {f"t{k:02d}" for k in range(1, TRAINEES + 1)}
    t04 = by_user["t04"]
    assert t04[5] >= 1 and t04[9]  # completed, last submission time
    done, total = map(int, t04[2].split("/"))
    assert done >= 1 and total >= done
    assert by_user["t02"][5] == 0  # t02's fix is in conflict, not completed
    assert "t04" in r.stdout


def test_trainer_console_refuses_bad_input(classroom, live_server):
    r = trainer_cli(classroom, "conflict", "--field", "birth_date", "--value", "x")
    assert r.returncode == 2 and "--rule 或 --name" in r.stderr
    r = hecha("trainer", "--server", classroom["url"], "--password", "wrong-pw", "report")
    assert r.returncode == 1 and r.stderr.startswith("操作失败：") and "Traceback" not in r.stderr
    r = hecha("trainer", "--server", live_server.url, "--password", "trainer-pw", "report")
    assert r.returncode == 1 and "不是培训服务器" in r.stderr
    r = trainer_cli(classroom, "report", "--users", "t99")
    assert r.returncode == 1 and "t99" in r.stderr


def test_reset_reopens_every_trainee_case(classroom, tmp_path):
    r = trainer_cli(classroom, "reset")
    assert r.returncode == 0, r.stderr and "已恢复初始状态" in r.stdout
    r = trainer_cli(classroom, "report")
    rows = [line.split("\t") for line in r.stdout.strip().splitlines()[1:]]
    assert rows and all(row[5] == "0" and row[7] == "0" for row in rows)

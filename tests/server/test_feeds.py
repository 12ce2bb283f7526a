"""Case feeds in (`hecha server import`) and results out (`hecha server export-results`), on SQLite and
PostgreSQL, with the real server, the real client and an independent consumer of the results."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from client.cli import main
from client.domain.idnumber import make_id_number
from sync.server import schema as t
from tests.support.builder import VILLAGE_A
from tests.support.live_server import make_op
from tests.support.sync_env import memory_keyring  # noqa: F401 - pytest fixture

ROOT = Path(__file__).resolve().parents[2]
HEAD_ID = make_id_number("610424", date(1985, 3, 4), 1)
WIFE_ID = make_id_number("610424", date(1988, 6, 7), 2)
DUP_ID = make_id_number("610424", date(1970, 1, 2), 11)
BROKEN = HEAD_ID[:17] + ("0" if HEAD_ID[17] != "0" else "1")


def person(pid: str, hid: str, name: str, sex: str, birth: str, idn: str, relation: str, **kw) -> dict:
    return {"person_id": pid, "household_id": hid, "name": name, "sex": sex, "birth_date": birth,
            "ethnicity": "01", "id_number": idn, "relation": relation, "hukou_type": "2",
            "hukou_place": VILLAGE_A, "residence_place": VILLAGE_A, "marital_status": "20",
            "first_marriage_date": "2010-05-01", **kw}


def feed_lines(mode: str = "full", head_name: str = "张建国", with_dup: bool = True) -> list[dict]:
    lines = [{"schema": "hecha.feed/1", "mode": mode, "kinds": ["error", "birth", "duplicates"]},
             {"kind": "error", "external_id": "ERR-1",
              "person": person("R-1", "RH-1", head_name, "1", "1985-03-04", BROKEN, "02"),
              "household": {"household_id": "RH-1", "place": VILLAGE_A, "address": "1组2号",
                            "members": [person("R-2", "RH-1", "李秀英", "2", "1988-06-07", WIFE_ID, "10")]},
              "findings": [{"code": "ID_CHECKSUM", "message": "公民身份号码校验位错误"}]},
             {"kind": "birth", "external_id": "BIRTH-1", "certificate": {
                 "cert_number": "Q123456789", "name": "张小宝", "sex": "1", "birth_date": "2026-10-01",
                 "birth_time": "08:30", "birthplace": VILLAGE_A, "issue_date": "2026-10-03", "issuer": "乾县人民医院",
                 "hospital": "乾县人民医院", "mother_name": "李秀英", "mother_id_number": WIFE_ID,
                 "mother_ethnicity": "01", "father_name": head_name, "father_id_number": HEAD_ID}}]
    if with_dup:
        lines.append({"kind": "duplicates", "external_id": "DUP-1", "members": [
            person("R-3", "RH-2", "王五", "1", "1970-01-02", DUP_ID, "02", first_marriage_date="1995-01-01"),
            person("R-4", "RH-3", "王五", "1", "1970-01-02", DUP_ID, "02", first_marriage_date="1995-01-01")]})
    return lines


def write_jsonl(path: Path, lines: list[dict]) -> Path:
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    return path


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = main(["server", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def server(live_server_factory):
    return live_server_factory()


def versions(store) -> dict[str, tuple[int, str]]:
    with store.read() as conn:
        return {r.case_id: (r.version, r.status) for r in conn.execute(
            select(t.cases.c.case_id, t.cases.c.version, t.cases.c.status).where(t.cases.c.case_id.like("%:%")))}


def test_import_is_all_or_nothing_idempotent_and_assigns_by_place(server, tmp_path, capsys):
    db = server.config.db_url
    bad = feed_lines() + [{"kind": "error", "external_id": "ERR-9", "person": person(
        "R-9", "RH-9", "赵六", "1", "1980/1/1", "6.10424E+17", "02")}, {"kind": "nope", "external_id": "X"}]
    code, out, err = run_cli(capsys, "import", "--db", db, write_jsonl(tmp_path / "bad.jsonl", bad))
    assert code == 1 and "全部文件均未导入" in err
    assert "bad.jsonl 第5行，公民身份号码：“6.10424E+17”已被 Excel 转成科学计数法" in out
    assert "bad.jsonl 第6行，kind：未知的类型" in out
    assert versions(server.store) == {}
    # the good file; a case in a place no account covers is listed, not imported
    lines = feed_lines() + [{"kind": "error", "external_id": "ERR-FAR", "person": person(
        "R-8", "RH-8", "远方人", "1", "1980-01-01", make_id_number("610424", date(1980, 1, 1), 3), "02",
        hukou_place="650102001001")}]
    path = write_jsonl(tmp_path / "feed.jsonl", lines)
    code, out, _ = run_cli(capsys, "import", "--db", db, path)
    assert code == 0 and "新增 3 件" in out and "无人负责 1 件" in out and "ERR-FAR" in out, out
    assert versions(server.store) == {"E:ERR-1": (1, "open"), "B:BIRTH-1": (1, "open"), "D:DUP-1": (1, "open")}
    alice = server.client("alice")
    boot = alice.bootstrap_all()
    assert {"E:ERR-1", "B:BIRTH-1", "D:DUP-1"} <= set(boot["records"])
    birth = boot["records"]["B:BIRTH-1"]["data"]
    assert birth["mother"]["person_id"] == "R-2" and birth["households"][0]["household_id"] == "RH-1"
    assert "ID_CHECKSUM" in {f["code"] for f in boot["records"]["E:ERR-1"]["data"]["findings"]}
    # the same feed again changes nothing: no new versions, nothing on the worker's next pull
    code, out, _ = run_cli(capsys, "import", "--db", db, path)
    assert code == 0 and "新增 0 件" in out and "未变 3 件" in out
    assert alice.pull_all(boot["cursor"])[0] == []
    # an assignment table sends the far place to bob
    (tmp_path / "assign.csv").write_text("区划代码前缀,账号\n650102,bob\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "import", "--db", db, "--assign", tmp_path / "assign.csv", path)
    assert code == 0 and "新增 1 件" in out and "无人负责 0 件" in out
    with server.store.read() as conn:
        assert server.store.get_case(conn, "E:ERR-FAR")["assigned_to"] == "bob"


def test_the_same_feed_again_keeps_what_a_worker_corrected(server, tmp_path, capsys):
    """An unchanged record brings nothing new: its persons are not written again (the platform's old
    ID number would undo the worker's correction)."""
    db = server.config.db_url
    path = write_jsonl(tmp_path / "f.jsonl", feed_lines())
    assert run_cli(capsys, "import", "--db", db, path)[0] == 0
    alice = server.client("alice")
    err = alice.bootstrap_all()["records"]["E:ERR-1"]
    overrides = {f["code"]: "已入户核实" for f in err["data"]["findings"] if f["severity"] == "W"}
    r = alice.push([make_op("E:ERR-1", "fix_error", err["version"], changes={
        "id_number": {"from": BROKEN, "to": HEAD_ID}}, payload={"note": "按户口簿", "overrides": overrides})])
    assert r.json()["results"][0]["status"] == "applied", r.json()
    before = versions(server.store)
    code, out, _ = run_cli(capsys, "import", "--db", db, path)
    assert code == 0 and "未变 3 件" in out and "写入人员 0 人" in out, out
    assert versions(server.store) == before
    with server.store.read() as conn:
        assert server.store.get_person(conn, "R-1")["id_number"] == HEAD_ID


def test_a_changed_case_is_an_office_edit_and_a_full_feed_withdraws_the_absent(server, tmp_path, capsys):
    db = server.config.db_url
    assert run_cli(capsys, "import", "--db", db, write_jsonl(tmp_path / "f1.jsonl", feed_lines()))[0] == 0
    alice = server.client("alice")
    boot = alice.bootstrap_all()
    err = boot["records"]["E:ERR-1"]
    # the platform corrects the name and lists a new household member; the worker meanwhile fixes
    # the ID number from version 1
    f2 = feed_lines(head_name="张建军", with_dup=False)
    f2[1]["household"]["members"].append(person("R-5", "RH-1", "张小明", "1", "2012-02-03",
                                                 make_id_number("610424", date(2012, 2, 3), 5), "20",
                                                 marital_status="10", first_marriage_date=None))
    code, out, _ = run_cli(capsys, "import", "--db", db, write_jsonl(tmp_path / "f2.jsonl", f2))
    assert code == 0 and "更新" in out and "收回 1 件" in out, out
    state = versions(server.store)
    assert state["D:DUP-1"] == (2, "withdrawn") and state["B:BIRTH-1"][0] >= 2
    assert state["E:ERR-1"] == (2, "open")
    with server.store.read() as conn:      # the changed case's links: replaced (not added to)
        links = sorted((r.person_id or "", r.household_id or "") for r in conn.execute(
            select(t.case_links.c.person_id, t.case_links.c.household_id).where(t.case_links.c.case_id == "E:ERR-1")))
    assert links == [("", "RH-1"), ("R-1", "")], links
    changes, cursor, _ = alice.pull_all(boot["cursor"])
    by_id = {c["id"]: c for c in changes}
    assert by_id["E:ERR-1"]["data"]["person"]["name"] == "张建军"
    assert {m["person_id"] for m in by_id["E:ERR-1"]["data"]["household"]} == {"R-2", "R-5"}
    assert by_id["D:DUP-1"]["removed"]["reason"] == "withdrawn"
    r = alice.push([make_op("E:ERR-1", "fix_error", err["version"], changes={
        "name": {"from": "张建国", "to": "张建业"}}, payload={"note": "按户口簿"})])
    assert r.json()["results"][0]["status"] == "conflict"        # the office (feed) changed the name
    # importing the changed feed once more: unchanged
    code, out, _ = run_cli(capsys, "import", "--db", db, tmp_path / "f2.jsonl")
    assert "新增 0 件，更新 0 件，未变 2 件，收回 0 件" in out


def test_the_spreadsheet_template_as_clerks_fill_it(server, tmp_path, capsys):
    code, out, _ = run_cli(capsys, "import-template", tmp_path / "模板.xlsx")
    assert code == 0
    wb = load_workbook(tmp_path / "模板.xlsx")
    assert wb.sheetnames == ["错误记录", "出生推送", "重复人员"]
    ws = wb["错误记录"]
    header = [c.value for c in ws[1]]
    assert header[0] == "外部编号" and "公民身份号码" in header and header[-1] == "问题说明"
    full = BROKEN.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    row = {"外部编号": "XL-1", "个人编码": "S-1", "户编码": "SH-1", "姓名": "孙红", "性别": "女",
           "出生日期": "1985.3.4", "民族": "汉族", "公民身份号码": full, "与户主关系": "户主",
           "户口性质": "农业户口", "户籍地": VILLAGE_A, "现居住地": VILLAGE_A, "婚姻状况": "已婚",
           "初婚日期": "2010/5/1", "问题说明": "校验位错误"}
    second = {**row, "外部编号": "XL-2", "公民身份号码": 6.10424198503041e17, "个人编码": "S-2", "出生日期": 31110}
    for col, h in enumerate(header, start=1):     # typed into rows 2 and 3, as a clerk would
        ws.cell(row=2, column=col, value=row.get(h, ""))
        ws.cell(row=3, column=col, value=second.get(h, ""))
    wb.save(tmp_path / "clerk.xlsx")
    code, out, err = run_cli(capsys, "import", "--db", server.config.db_url, tmp_path / "clerk.xlsx")
    assert code == 1 and "clerk.xlsx［错误记录］ 第3行，公民身份号码：“6.10424E+17”已被 Excel 转成科学计数法" in out, out
    for col in range(1, len(header) + 1):
        ws.cell(row=3, column=col).value = None
    wb.save(tmp_path / "clerk.xlsx")
    code, out, err = run_cli(capsys, "import", "--db", server.config.db_url, tmp_path / "clerk.xlsx")
    assert code == 0 and "新增 1 件" in out, out + err
    with server.store.read() as conn:
        p = server.store.get_person(conn, "S-1")
    assert (p["sex"], p["ethnicity"], p["relation"], p["hukou_type"], p["birth_date"], p["id_number"]) == \
        ("2", "01", "02", "2", "1985-03-04", BROKEN)


def test_round_trip_import_work_export_apply(server, tmp_path, capsys, open_workspace):
    db = server.config.db_url
    lines = feed_lines()
    assert run_cli(capsys, "import", "--db", db, write_jsonl(tmp_path / "feed.jsonl", lines))[0] == 0
    code, out, _ = run_cli(capsys, "export-results", "--db", db, "--out", tmp_path / "none.jsonl")
    assert code == 0 and "已导出 0 项" in out and "下次续传标记：h0" in out
    ws = open_workspace("alice")
    ws.sync()
    ws.fix_error("E:ERR-1", {"id_number": HEAD_ID}, note="按户口簿更正")
    ws.merge_duplicates("D:DUP-1", "R-3")
    ws.confirm_birth("B:BIRTH-1", {"name": "张小宝"}, household_id="RH-1", relation="20")
    report = ws.sync()
    assert report.pushed == 3, report
    code, out, _ = run_cli(capsys, "export-results", "--db", db, "--out", tmp_path / "r1.jsonl")
    token = out.split("下次续传标记：")[1].strip()
    results = [json.loads(x) for x in (tmp_path / "r1.jsonl").read_text("utf-8").splitlines()]
    assert [r["action"] for r in results] == ["fix_error", "merge_duplicates", "confirm_birth"]
    fix = results[0]
    assert fix["external_id"] == "ERR-1" and fix["by"] == "alice" and fix["audit"]["op_id"]
    assert fix["persons"][0]["changed"] == {"id_number": {"before": BROKEN, "after": HEAD_ID}}
    assert results[1]["decision"]["survivor_id"] == "R-3" and results[1]["decision"]["removed_ids"] == ["R-4"]
    newborn = results[2]["persons"][0]
    assert results[2]["decision"]["relation"] == "20" and newborn["before"] is None
    assert newborn["after"]["household_id"] == "RH-1" and newborn["after"]["birth_cert_number"] == "Q123456789"
    # the same token gives the same file; the printed token continues after the last decision
    run_cli(capsys, "export-results", "--db", db, "--out", tmp_path / "r1b.jsonl")
    assert (tmp_path / "r1b.jsonl").read_bytes() == (tmp_path / "r1.jsonl").read_bytes()
    code, out, _ = run_cli(capsys, "export-results", "--db", db, "--since", token, "--out", tmp_path / "r2.jsonl")
    assert "已导出 0 项" in out and f"下次续传标记：{token}" in out
    run_cli(capsys, "export-results", "--db", db, "--out", tmp_path / "r1.xlsx")
    sheet = load_workbook(tmp_path / "r1.xlsx")["处理结果"]
    assert ["E:ERR-1", "ERR-1", "error", "更正", "alice"] == [c.value for c in sheet[2]][:5]
    # an independent script applies the results to the source data: the server's records come out
    source = {p["person_id"]: {**p, "status": "active"} for line in lines[1:] for p in
              [line.get("person"), *((line.get("household") or {}).get("members") or []), *(line.get("members") or [])]
              if p}
    (tmp_path / "source.json").write_text(json.dumps({"persons": source}, ensure_ascii=False), "utf-8")
    subprocess.run([sys.executable, str(ROOT / "tests" / "tools" / "apply_results.py"), str(tmp_path / "source.json"),
                    str(tmp_path / "r1.jsonl"), str(tmp_path / "applied.json")], check=True)
    applied = json.loads((tmp_path / "applied.json").read_text("utf-8"))["persons"]
    with server.store.read() as conn:
        rows = conn.execute(select(t.persons)).all()
    server_side = {r.person_id: {**json.loads(r.data), "household_id": r.household_id, "status": r.status,
                                 **({"merged_into": r.merged_into} if r.merged_into else {})}
                   for r in rows if r.person_id in applied}
    assert set(server_side) == set(applied) and len(applied) == len(source) + 1
    assert server_side == applied


@pytest.fixture
def open_workspace(tmp_path, server, memory_keyring):
    from client.workspace import Workspace
    from tests.support.live_server import PASSWORDS
    from tests.support.sync_env import CHEAP_KEY, FAST
    opened = []

    def make(user: str):
        ws = Workspace.login(tmp_path / f"ws-{user}", server.url, user, PASSWORDS[user], key_cost=CHEAP_KEY,
                             retry=FAST)
        opened.append(ws)
        return ws

    yield make
    for ws in opened:
        ws.close()

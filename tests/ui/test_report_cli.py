"""`hecha report progress|forms` from the local data after a sync, unattended: the workbook opened
with openpyxl (sheets, figures, totals, native bar chart, print setup) and the forms PDF; both
recorded in the work trace."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook
from openpyxl.chart import BarChart

from client.cli import main
from client.workspace import Workspace
from tests.support.builder import TOWN_A, TOWN_B, VILLAGE_A


def _run(monkeypatch, capsys, *argv: str, password: str) -> tuple[int, dict]:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    status = main(["report", *argv, "--password-stdin"])
    return status, json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_progress_workbook_and_forms_from_local_data(live_server, tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    alice = Workspace.login(data, live_server.url, "alice", "alice-pw")
    alice.sync()
    alice.cannot_verify("E-1", "not_local")
    alice.sync()
    alice.refresh_own_progress()
    alice.close()
    carol = Workspace.login(data, live_server.url, "carol", "carol-pw")
    carol.sync()
    carol.refresh_own_progress()       # a sync fetches no progress: `hecha sync --progress` does this
    carol.close()
    out = tmp_path / "进度表.xlsx"
    status, said = _run(monkeypatch, capsys, "progress", "--data-dir", str(data), "--user", "carol",
                        "--out", str(out), password="carol-pw")
    assert status == 0 and said["ok"], said
    wb = load_workbook(out)
    assert wb.sheetnames == ["按乡镇", "按村居"]
    ws = wb["按乡镇"]
    assert ws["A1"].value.startswith("乾县核查工作进度表（截至 ")
    assert [c.value for c in ws[2]][:4] == ["代码", "乡镇（街道）", "待办", "已完成"]
    rows = {ws.cell(r, 1).value: [c.value for c in ws[r]] for r in range(3, ws.max_row + 1)}
    assert rows[TOWN_A][2:4] == [5, 1] and rows[TOWN_B][2:4] == [1, 0]
    total = next(r for r in rows.values() if r[1] == "合计")
    assert total[2] == "=SUM(C3:C4)"
    charts = ws._charts
    assert len(charts) == 1 and isinstance(charts[0], BarChart) and charts[0].grouping == "stacked"
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$2"
    assert "核查工作进度表" in ws.oddHeader.center.text
    villages = wb["按村居"]
    assert villages.cell(2, 3).value == "所属乡镇" and len(villages._charts) == 1
    assert villages.cell(3, 3).value == "城关街道"
    # the township worker: the same for its own villages
    status, said = _run(monkeypatch, capsys, "progress", "--data-dir", str(data), "--user", "alice",
                        "--out", str(tmp_path / "a.xlsx"), password="alice-pw")
    assert status == 0, said
    assert load_workbook(tmp_path / "a.xlsx").sheetnames == ["按乡镇"]
    # the forms of a village, one household a page
    pdf = tmp_path / "forms.pdf"
    status, said = _run(monkeypatch, capsys, "forms", "--data-dir", str(data), "--user", "alice",
                        "--village", VILLAGE_A, "--out", str(pdf), password="alice-pw")
    assert status == 0 and said["cases"] == 5 and said["pages"] >= said["households"], said
    assert pdf.read_bytes().startswith(b"%PDF")
    status, said = _run(monkeypatch, capsys, "forms", "--data-dir", str(data), "--user", "alice",
                        "--village", "610424101", "--out", str(tmp_path / "none.pdf"), password="alice-pw")
    assert status == 2 and said["error"] == "no_cases"
    status, said = _run(monkeypatch, capsys, "forms", "--data-dir", str(data), "--user", "alice",
                        "--out", str(pdf), password="wrong")
    assert status == 3
    ws_ = Workspace.unlock(data, "alice", "alice-pw")
    try:
        assert [a["field"] for a in ws_.audit("E-2")][-1] == "printed_form"
        assert any(a["field"] == "progress_report" for a in ws_.audit("*"))
    finally:
        ws_.close()

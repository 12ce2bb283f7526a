"""The worklist as the worker uses it (issue 15.4, 15.5): the village filter after the first
sync, and every column with a sort arrow sorting by what the worker sees."""

from __future__ import annotations

import random
from types import SimpleNamespace

import pytest

from tests.ui.conftest import wait_idle


def test_village_filter_is_filled_when_the_first_sync_brings_cases(qtbot, bg, live_server,
                                                                   tmp_path, settings):
    from client.workspace import Workspace
    from ui.login_dialog import gui_retry_policy
    from ui.main_window import MainWindow
    ws = Workspace.login(tmp_path / "data", live_server.url, "alice", "alice-pw",
                         retry=gui_retry_policy())  # a first start: nothing synced yet
    try:
        w = MainWindow(bg, ws, settings, online=True)
        qtbot.addWidget(w)
        w.show()
        wait_idle(qtbot, bg)
        village = w.worklist.village
        assert village.count() == 1  # 全部村(居) only: no cases yet
        with qtbot.waitSignal(w.sync.sig_finished, timeout=30_000):
            w.sync.sync_now()
        qtbot.waitUntil(lambda: village.count() > 1, timeout=10_000)
        names = [village.itemText(i) for i in range(1, village.count())]
        assert "东大街社区居委会" in names
        assert all(not n.isdigit() for n in names)  # names, not codes
    finally:
        bg.shutdown(wait=True)
        ws.close()


def _collated(texts: list[str]) -> list[str]:
    from PySide6.QtCore import QCollator, QLocale
    c = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    return sorted(texts, key=c.sortKey)


def _collated_codes(codes, value_text):
    from PySide6.QtCore import QCollator, QLocale
    c = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    return sorted(codes, key=lambda code: c.sortKey(value_text("problem", code)))


def _sorted_column(qtbot, model, column: int, descending: bool) -> list[str]:
    from PySide6.QtCore import Qt
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    model.sort(column, order)
    key = __import__("ui.worklist_model", fromlist=["COLUMNS"]).COLUMNS[column][0]
    qtbot.waitUntil(lambda: model.query.sort == key and model.query.descending == descending
                    and not model.loading, timeout=5000)
    return [model.index(r, column).data() for r in range(model.rowCount())]


@pytest.fixture
def varied_store(tmp_path):
    """60 error cases in a real encrypted store, differing in every column."""
    from datetime import date, timedelta
    from client.domain.divisions import division_tree
    from client.domain.idnumber import make_id_number
    from sqlalchemy import text as sql_text
    from client.store import new_key, open_store, upsert_shadows
    rng = random.Random(3)
    villages = [v.code12 for v in division_tree().villages_of("610424")][:12]
    names = ["张伟", "李娜", "王芳", "刘洋", "陈静", "杨磊", "赵敏", "周杰", "吴娟", "朱超", "阿依", "欧阳明"]
    problems = [("ID_CHECKSUM", "身份证号码（{n}）校验位不对（按前17位应为5），可能有数字录错或两位顺序颠倒"),
                ("ID_BIRTH_MISMATCH", "出生日期(1990-01-02)与身份证号中的出生日期({n})不一致"),
                ("MARRIAGE_EARLY", "初婚年龄19岁，低于法定婚龄（男22岁），请核实")]
    records = []
    for i in range(1, 61):
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(60 * 365))
        code, message = rng.choice(problems)
        number = make_id_number("610424", birth, rng.randrange(1, 999))
        person = {"person_id": f"P-{i}", "name": rng.choice(names), "sex": rng.choice("12"),
                  "birth_date": birth.isoformat(), "id_number": number,
                  "hukou_place": rng.choice(villages)}
        records.append({"type": "error", "id": f"E-{i}", "version": 1, "data": {
            "person": person, "household": [], "status": "open",
            "findings": [{"code": code, "severity": "E", "fields": ["id_number"], "params": {},
                          "message": message.format(n=number)}]}})
        if i % 3:
            records[-1]["data"]["deadline"] = (date.today() + timedelta(days=rng.randrange(-9, 30))).isoformat()
    store = open_store(tmp_path / "varied.db", new_key())
    with store.write() as s:
        upsert_shadows(s, records)
        for i, state in ((3, "pending"), (8, "conflict"), (20, "rejected"), (31, "pending")):
            s.execute(sql_text("UPDATE cases SET local_state = :st WHERE id = :id"),
                      {"st": state, "id": f"E-{i}"})
    yield store
    store.close()


def test_every_column_with_an_arrow_sorts_by_what_the_worker_sees(qtbot, bg, varied_store):
    from client.worklist import WorkQuery
    from ui.worklist_model import COLUMNS, value_text
    from ui.worklist_view import WorklistView
    view = WorklistView(bg, SimpleNamespace(store=varied_store))
    qtbot.addWidget(view)
    view.show()
    view.show_list("error", WorkQuery(kind="error"))
    model = view.model
    qtbot.waitUntil(lambda: model.rowCount() == 60 and not model.loading, timeout=5000)
    header = view.table.horizontalHeader()
    assert view.table.isSortingEnabled() and header.isSortIndicatorShown()
    moved = set()
    for column, (key, _label) in enumerate(COLUMNS):
        if key == "id":
            continue
        up = _sorted_column(qtbot, model, column, False)
        qtbot.waitUntil(lambda: "…" not in [model.index(r, column).data() for r in range(60)])
        up = [model.index(r, column).data() for r in range(60)]
        down = _sorted_column(qtbot, model, column, True)
        qtbot.waitUntil(lambda: "…" not in [model.index(r, column).data() for r in range(60)])
        down = [model.index(r, column).data() for r in range(60)]
        if key == "deadline":
            # By urgency: overdue first, then the nearest deadline; cases without one last
            # (the rows are in the descending order now: the reverse).
            dues = [model.cached_row(model.id_at(r)).deadline for r in range(60)]
            dated = [d for d in dues if d]
            assert dated == sorted(dated, reverse=True) and dues == [None] * (60 - len(dated)) + dated
            assert up[0].startswith("逾期") and up[-1] == "" and down[0] == "" and down[-1].startswith("逾期")
        elif key == "problem":
            # Grouped by the rule, groups in the order of the rule's words, then by the text.
            rows = [model.cached_row(model.id_at(r)) for r in range(60)]
            groups = list(dict.fromkeys(row.problem["code"] for row in rows))
            assert len(groups) == 3
            assert groups == _collated_codes(groups, value_text)[::-1]
            for g in groups:
                texts = [t for t, row in zip(down, rows) if row.problem["code"] == g]
                assert texts == sorted(texts, reverse=True)
        else:
            assert up == _collated(up), (key, up)
            assert down == list(reversed(_collated(down))), (key, down)
        assert up != down
        moved.add(key)
    # The test data differ in these columns: the rows really moved.
    assert moved == {key for key, _ in COLUMNS} - {"id"}


def test_export_is_a_document_a_clerk_can_send_on(qtbot, window, tmp_path):
    """Issue 15.9: save dialog in Chinese with a telling default name in the documents folder;
    the file read back: title line, filter in words, widths, wrap, autofilter, print setup."""
    import re
    from datetime import date
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QAbstractButton, QLabel
    from ui.export_dialog import documents_dir
    from ui.xlsx_export import display_width
    view = window.worklist
    view.search.setText("张")
    view.apply_filters()
    qtbot.waitUntil(lambda: view.model.query.text == "张" and not view.model.loading, timeout=5000)
    view.export_dialog()
    dlg = view.save_dialog
    assert dlg.isVisible()
    jurisdiction = view.jurisdiction_name()
    assert jurisdiction and not jurisdiction.isdigit()
    today = date.today().isoformat()
    assert dlg.selectedFiles()[0] == str(documents_dir() / f"异常数据-{jurisdiction}-{today}.xlsx")
    shown = [w.text() for w in dlg.findChildren(QLabel) + dlg.findChildren(QAbstractButton)
             if w.isVisible() and w.text()]
    english = [t for t in shown if re.search(r"[A-Za-z]{3,}", t.replace("xlsx", "").replace("Excel", ""))]
    assert not english, english
    path = tmp_path / "清单.xlsx"
    dlg.selectFile(str(path))
    dlg.accept()
    qtbot.waitUntil(path.exists, timeout=10_000)
    sheet = load_workbook(path).active
    heading, note = sheet["A1"].value, sheet["A2"].value
    assert "异常数据" in heading and jurisdiction in heading and today in heading
    assert "搜索“张”" in note and "error" not in note and "筛选" in note
    headers = [c.value for c in sheet[3]]
    assert headers[:3] == ["状态", "编号", "姓名"]
    body = list(sheet.iter_rows(min_row=4, values_only=True))
    assert body and all("张" in (r[2] or "") for r in body)
    for col, cells in enumerate(zip(headers, *body), 1):
        letter = sheet.cell(row=3, column=col).column_letter
        need = min(50, max(display_width(str(c or "")) for c in cells))
        assert sheet.column_dimensions[letter].width >= need, (letter, cells)
    assert all(sheet.cell(row=4, column=c).alignment.wrap_text for c in range(1, len(headers) + 1))
    assert sheet.auto_filter.ref.startswith("A3:")
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$3:$3"

"""入户核查表: the forms of a worker's cases, one household per page, as a real A4 PDF with the
Chinese font embedded; the pages rendered with pdftoppm and checked for ink where it belongs."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtGui import QImage

from client.forms import case_of_form, form_number, households


def test_forms_group_cases_by_household_and_render(qapp, workspace, tmp_path):
    from ui.village_forms import household_html, write_pdf
    forms = households(workspace)
    cases = [s.case_id for h in forms for s in h.sections]
    assert sorted(cases) == sorted(t.id for t in workspace.tasks(status="open"))
    # E-1 and the birth B-1 are of the same household: one page for both
    same = next(h for h in forms if {"E-1", "B-1"} <= {s.case_id for s in h.sections})
    assert len({h.household_id for h in forms}) == len(forms)
    e1 = next(s for s in same.sections if s.case_id == "E-1")
    assert e1.number == form_number("E-1") and case_of_form(" hce-1 ".upper()) == "E-1"
    assert e1.rows[0].field == "id_number" and e1.rows[0].problems   # the problem field first
    text = household_html(same, "2026-12-07")
    assert "入户核查表" in text and "HCE-1" in text and "校验位" in text and "村(居)专干签名" in text and "未取名（母亲" in text
    pdf = tmp_path / "forms.pdf"
    pages = write_pdf(pdf, forms, "2026-12-07")
    assert pages >= len(forms) and pdf.stat().st_size > 5000
    if shutil.which("pdffonts") is None or shutil.which("pdftoppm") is None:
        pytest.fail("poppler-utils missing: run scripts/setup")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "WenQuanYi" in fonts and all(" yes " in line for line in fonts.splitlines()[2:] if line.strip())
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages
    img = QImage(str(images[0]))
    assert img.width() < img.height()   # A4 portrait
    # ink at the top (title) and in the lower half (table and signatures); margins stay white
    def dark(y0: float, y1: float, x0: float = 0.0, x1: float = 1.0) -> int:
        return sum(1 for y in range(int(img.height() * y0), int(img.height() * y1), 2)
                   for x in range(int(img.width() * x0), int(img.width() * x1), 2)
                   if img.pixelColor(x, y).lightness() < 128)
    assert dark(0.03, 0.12) > 50 and dark(0.2, 0.6) > 200
    assert dark(0.0, 1.0, 0.0, 0.03) == 0 and dark(0.0, 1.0, 0.97, 1.0) == 0


def test_a_returned_form_is_entered_with_the_scanner_path_by_keyboard(qtbot, bg, window):
    """Ctrl+G, the scanner types the form number and Enter: the editor opens on the first problem
    field; typing the verified value and Ctrl+S saves it. No mouse."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    from client.forms import form_number
    from tests.ui.conftest import wait_idle
    window.activateWindow()
    qtbot.keyClick(window.worklist.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.paper.find_dialog is not None and window.paper.find_dialog.isVisible(),
                    timeout=5000)
    from PySide6.QtWidgets import QLineEdit
    box = window.paper.find_dialog.findChild(QLineEdit)
    assert window.paper.find_dialog.focusWidget() is box   # the box takes what the scanner types
    qtbot.keyClicks(box, form_number("E-2"))
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.editor, timeout=10_000)
    field = window.editor.form.rows["id_number"].editor
    # the window's focus (offscreen, the closed dialog stays the "active" window) is in that field
    qtbot.waitUntil(lambda: field.isAncestorOf(window.focusWidget()), timeout=5000)
    wait_idle(qtbot, bg)
    task = window.ws.task("E-2")
    idn = task.data["person"]["id_number"]
    from client.domain.idnumber import id_check_char
    window.activateWindow()   # what the window manager does when the dialog closes
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    focused = window.focusWidget()
    focused.selectAll()
    qtbot.keyClicks(focused, idn[:17] + id_check_char(idn[:17]))
    qtbot.keyClick(focused, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.ws.task("E-2").status == "pending", timeout=10_000)
    assert window.ws.task("E-2").data["person"]["id_number"] == idn[:17] + id_check_char(idn[:17])


def test_print_preview_of_the_selected_cases(qtbot, bg, window):
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget
    from tests.ui.conftest import wait_idle
    table = window.worklist.table
    table.selectRow(0)
    window.paper.print_forms()
    qtbot.waitUntil(lambda: window.paper.preview_dialog is not None and window.paper.preview_dialog.isVisible(),
                    timeout=10_000)
    dlg = window.paper.preview_dialog
    assert isinstance(dlg, QPrintPreviewDialog)
    preview = dlg.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() >= 1, timeout=10_000)
    assert preview.pageCount() == 1           # one selected case: its household's page
    dlg.reject()
    wait_idle(qtbot, bg)


def test_progress_workbook_from_the_file_menu(qtbot, bg, window, tmp_path):
    from openpyxl import load_workbook
    from tests.ui.conftest import wait_idle
    window.paper.export_progress()
    qtbot.waitUntil(lambda: window.paper.save_dialog is not None and window.paper.save_dialog.isVisible(),
                    timeout=5000)
    window.paper.save_dialog.reject()
    window.paper.export_progress_to(str(tmp_path / "进度"))
    qtbot.waitUntil(lambda: (tmp_path / "进度.xlsx").exists(), timeout=10_000)
    wait_idle(qtbot, bg)
    assert load_workbook(tmp_path / "进度.xlsx")["按乡镇"]["A1"].value.startswith("城关街道核查工作进度表")

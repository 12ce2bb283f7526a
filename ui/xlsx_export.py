"""Writing lists to .xlsx (openpyxl) as a document a clerk can send on: a title line, the
filter in words, bold headers with an autofilter, columns as wide as their text (a Chinese
character counts two), wrapped cells, and a print setup (A4 landscape, the header row on every
page, fit to the page width). No Qt, so it runs on any thread."""

from __future__ import annotations

import os
import tempfile
import unicodedata
from pathlib import Path
from typing import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

MAX_WIDTH = 50  # wider text wraps
MIN_WIDTH = 6
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
THIN = Side(style="thin", color="999999")


def display_width(text: str) -> int:
    """Columns the text takes in a spreadsheet: wide (CJK, full-width) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def write_xlsx(path: str | Path, headers: Sequence[str], rows: Iterable[Sequence], *,
               title: str = "导出", note: str = "", heading: str = "", footer: str = "") -> int:
    """Write a sheet (atomically: temporary file, then rename); returns the number of rows.
    heading: the title line (row 1, bold); note: the filter in words (the next row); footer:
    the printed page footer (Excel codes: &P page, &N pages).
    Every cell is text, so ID numbers keep their 18 digits (never scientific notation)."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook has one worksheet
    ws.title = title[:31] or "Sheet1"
    top = 1
    ncols = max(1, len(headers))
    for text, font in ((heading, Font(bold=True, size=14)), (note, Font(size=10))):
        if text:
            cell = ws.cell(row=top, column=1, value=text)
            cell.font = font
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if ncols > 1:
                ws.merge_cells(start_row=top, start_column=1, end_row=top, end_column=ncols)
            top += 1
    head_row = top
    widths = [display_width(str(h)) for h in headers]
    for col, head in enumerate(headers, 1):
        c = ws.cell(row=head_row, column=col, value=str(head))
        c.font = Font(bold=True)
        c.fill = HEADER_FILL
        c.border = Border(bottom=THIN)
        c.alignment = Alignment(wrap_text=True, vertical="center")
    wrap = Alignment(wrap_text=True, vertical="top")
    n = 0
    for n, row in enumerate(rows, 1):
        for col, value in enumerate(row, 1):
            text = "" if value is None else str(value)
            cell = ws.cell(row=head_row + n, column=col, value=text)
            cell.number_format = "@"
            cell.alignment = wrap
            if col <= len(widths):
                widths[col - 1] = max(widths[col - 1], display_width(text))
    for col, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, max(MIN_WIDTH, w + 2))
    last_col = get_column_letter(ncols)
    ws.auto_filter.ref = f"A{head_row}:{last_col}{head_row + max(n, 1)}"
    ws.freeze_panes = f"A{head_row + 1}"
    # Print: A4 landscape, the header row on every page, all columns on the page width.
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{head_row}:{head_row}"
    ws.print_options.horizontalCentered = True
    if footer:
        odd_footer = ws.oddFooter
        assert odd_footer is not None  # a worksheet always has its footers
        odd_footer.center.text = footer
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n


def recorded(bg, workspace, what: str, path: str | Path, then=None):
    """An export's on_result that first records it in the worker's trace (on the database thread):
    Excel files of personal data leave the encrypted store, so each one is in 本机操作记录."""
    def done(n: int) -> None:
        bg.db(workspace.record_export, what, str(path), n)
        if then is not None:
            then(n)
    return done

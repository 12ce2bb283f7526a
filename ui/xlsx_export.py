"""Writing lists to .xlsx (openpyxl) with Chinese headers; no Qt, so it runs on any thread."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


def write_xlsx(path: str | Path, headers: Sequence[str], rows: Iterable[Sequence], *,
               title: str = "导出", note: str = "") -> int:
    """Write a sheet (atomically: temporary file, then rename); returns the number of rows.
    Every cell is text, so ID numbers keep their 18 digits (never scientific notation)."""
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = title[:31] or "Sheet1"
    start = 1
    if note:
        ws.cell(row=1, column=1, value=note).font = Font(italic=True)
        start = 2
    for col, head in enumerate(headers, 1):
        c = ws.cell(row=start, column=col, value=str(head))
        c.font = Font(bold=True)
    widths = [max(6, len(str(h)) * 2) for h in headers]
    n = 0
    for n, row in enumerate(rows, 1):
        for col, value in enumerate(row, 1):
            text = "" if value is None else str(value)
            cell = ws.cell(row=start + n, column=col, value=text)
            cell.number_format = "@"
            if col <= len(widths):
                widths[col - 1] = min(60, max(widths[col - 1], len(text) + 2))
    for col, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
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

"""核查工作进度表: the progress workbook clerks exchange (openpyxl; no Qt, runs on any thread).

One sheet per township and one per village, each with a totals row, a native Excel bar chart and
print setup (A4 landscape, header rows repeated, fit to width, title with jurisdiction and date).
Input: the progress answers of `GET /v1/progress` (as cached by the workspace).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from client.domain.divisions import division_tree

TITLE = "核查工作进度表"
# (key in a progress row, column header, width)
COUNT_COLUMNS = (("open", "待办", 8), ("done", "已完成", 8), ("waiting", "待上传", 8),
                 ("conflict", "冲突", 7), ("rejected", "被退回", 8), ("withdrawn", "已收回", 8),
                 ("overdue", "逾期", 7))
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
_OVERDUE_FILL = PatternFill("solid", fgColor="F8CBAD")


def local_time(iso_utc: str | None) -> str:
    """'2026-12-07T10:00:00.000000Z' -> '2026-12-07 18:00' in the PC's time zone."""
    if not iso_utc:
        return ""
    dt = datetime.strptime(iso_utc[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    return dt.astimezone().strftime("%Y-%m-%d %H:%M")


def _name(code: str) -> str:
    division = division_tree().get(code)
    return division.name if division is not None else code


def done_ratio(row: dict[str, Any]) -> float | None:
    total = int(row.get("open", 0)) + int(row.get("done", 0))
    return int(row.get("done", 0)) / total if total else None


def last_sync_text(row: dict[str, Any]) -> str:
    parts = []
    for w in row.get("workers") or []:
        when = local_time(w.get("last_sync")) or "从未同步"
        parts.append(f"{w['username']} {when}")
    return "；".join(parts)


def write_progress_workbook(path: str | Path, townships: dict[str, Any], villages: dict[str, Any] | None,
                            *, jurisdiction_name: str = "") -> Path:
    """Writes the workbook; `townships`/`villages` are progress answers (level township/village)."""
    name = jurisdiction_name or townships.get("name") or townships.get("place") or ""
    as_of = local_time(townships.get("as_of"))
    title = f"{name}{TITLE}（截至 {as_of}）"
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "按乡镇"
    _sheet(ws, title, "乡镇（街道）", townships["rows"], parent=False)
    if villages is not None:
        _sheet(wb.create_sheet("按村居"), title, "村（居）", villages["rows"], parent=True)
    path = Path(path)
    wb.save(path)
    return path


def _sheet(ws: Worksheet, title: str, place_header: str, rows: list[dict[str, Any]], *, parent: bool) -> None:
    headers = ["代码", place_header] + (["所属乡镇"] if parent else []) + \
        [h for _, h, _ in COUNT_COLUMNS] + ["完成率", "最久待办（天）", "专干最近同步"]
    widths = [14, 18] + ([16] if parent else []) + [w for _, _, w in COUNT_COLUMNS] + [9, 12, 40]
    ncols = len(headers)
    ws.cell(row=1, column=1, value=title).font = Font(size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.row_dimensions[1].height = 24
    for col, (text, width) in enumerate(zip(headers, widths), start=1):
        cell = ws.cell(row=2, column=col, value=text)
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    first_count = 3 + (1 if parent else 0)
    r = 2
    for row in rows:
        r += 1
        values: list[Any] = [row["place"], row.get("name") or row["place"]]
        if parent:
            values.append(row.get("parent_name") or _name(row["place"][:9]))
        values += [row.get(k, 0) for k, _, _ in COUNT_COLUMNS]
        values += [done_ratio(row), row.get("oldest_open_days"), last_sync_text(row)]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            cell.border = _BORDER
        ws.cell(row=r, column=1).number_format = "@"
        ws.cell(row=r, column=ncols - 2).number_format = "0.0%"
        if row.get("overdue"):
            ws.cell(row=r, column=first_count + 6).fill = _OVERDUE_FILL
    last = r
    total_row = last + 1
    ws.cell(row=total_row, column=2, value="合计").font = Font(bold=True)
    for i in range(len(COUNT_COLUMNS)):
        col = first_count + i
        letter = get_column_letter(col)
        cell = ws.cell(row=total_row, column=col,
                       value=f"=SUM({letter}3:{letter}{last})" if last >= 3 else 0)
        cell.font = Font(bold=True)
    open_l, done_l = get_column_letter(first_count), get_column_letter(first_count + 1)
    ratio = ws.cell(row=total_row, column=ncols - 2,
                    value=f"=IF({open_l}{total_row}+{done_l}{total_row}=0,\"\","
                          f"{done_l}{total_row}/({open_l}{total_row}+{done_l}{total_row}))")
    ratio.number_format = "0.0%"
    for col in range(1, ncols + 1):
        ws.cell(row=total_row, column=col).border = _BORDER
    ws.freeze_panes = "C3"
    if last >= 3:
        _chart(ws, place_header, first_count, last, anchor_row=total_row + 2)
    _print_setup(ws, title, ncols, total_row)


def _chart(ws: Worksheet, place_header: str, first_count: int, last: int, anchor_row: int) -> None:
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = f"各{place_header}任务完成情况"
    chart.y_axis.title = "任务数"
    data = Reference(ws, min_col=first_count, max_col=first_count + 1, min_row=2, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, min_row=3, max_row=last))
    chart.height = 9
    chart.width = max(16, min(40, 2 + (6 * (last - 2)) // 5))
    ws.add_chart(chart, f"B{anchor_row}")


def _print_setup(ws: Worksheet, title: str, ncols: int, total_row: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    props = ws.sheet_properties.pageSetUpPr
    if props is None:
        props = ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    props.fitToPage = True
    ws.print_title_rows = "1:2"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    header, footer = ws.oddHeader, ws.oddFooter
    assert header is not None and footer is not None
    header.center.text = title
    footer.center.text = "第 &P 页，共 &N 页"
    ws.print_area = f"A1:{get_column_letter(ncols)}{total_row + 22}"

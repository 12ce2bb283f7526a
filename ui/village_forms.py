"""入户核查表: door-to-door forms printed with Qt (QTextDocument on a QPdfWriter or a QPrinter).

A4 portrait, one household per page (a long household continues on the next page, never cut),
the Chinese font embedded by Qt's PDF engine. Each case carries its form number as text and as
a QR code, the recorded values, the problem found, an empty line for the verified value, and the
signatures. `write_pdf` saves a file; `preview` opens Qt's print preview."""

from __future__ import annotations

import html
import io
from datetime import date
from pathlib import Path
from typing import Any

import segno
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QMarginsF, QRectF, QSizeF, QUrl
from PySide6.QtGui import (QFont, QImage, QPageLayout, QPageSize, QPagedPaintDevice, QPainter, QPdfWriter,
                           QTextDocument)

from client.forms import FormHousehold, FormSection
from ui.code_names import code_name as translated_code_name
from ui.messages import finding_text
from ui.person_form import LAYOUT, field_label
from ui.worklist_model import place_name

TITLE = QT_TRANSLATE_NOOP("", "入户核查表")
KINDS = {"error": QT_TRANSLATE_NOOP("", "异常数据核查"), "birth": QT_TRANSLATE_NOOP("", "出生登记核查"),
         "duplicates": QT_TRANSLATE_NOOP("", "疑似重复核查")}
_KIND_OF_FIELD = {f: (kind, option) for _, rows in LAYOUT for f, _label, kind, option in rows}
FONT_FAMILY = "WenQuanYi Micro Hei"
DPI = 300


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


def value_text(field: str, value: Any) -> str:
    """A recorded value as the villager reads it: code names, village names."""
    if value in (None, ""):
        return ""
    kind, option = _KIND_OF_FIELD.get(field, ("text", None))
    if kind == "code" and option:
        name = translated_code_name(option, str(value))
        return f"{name}" if name else str(value)
    if kind == "place":
        return place_name(str(value))
    return str(value)


def qr_image(text: str) -> QImage:
    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="png", scale=8, border=2)
    return QImage.fromData(buf.getvalue())


def _e(text: Any) -> str:
    return html.escape(str(text or ""))


def _section_html(s: FormSection) -> str:
    rows = []
    for r in s.rows:
        member, _, name = r.field.rpartition(":")
        label = field_label(name) + (_t("（第{n}条）").format(n=member) if member else "")
        problem = "；".join(finding_text(f) for f in r.problems)
        style = ' style="background-color:#f2f2f2"' if problem else ""
        rows.append(f"<tr{style}><td>{_e(label)}</td><td>{_e(value_text(name, r.value))}</td>"
                    f"<td>{_e(problem)}</td><td></td></tr>")
    loose = "".join(f"<p>· {_e(finding_text(f))}</p>" for f in s.problems)
    deadline = _t("　办理期限：{date}").format(date=s.deadline) if s.deadline else ""
    title = s.title
    if s.kind == "birth" and not title:
        mother = next((r.value for r in s.rows if r.field == "mother_name"), None) or ""
        title = _t("未取名（母亲 {mother}）").format(mother=mother)
    return (
        f'<table width="100%" cellspacing="0" cellpadding="2"><tr>'
        f'<td><p style="font-size:13pt"><b>{_e(_t(str(KINDS.get(s.kind, s.kind))))}：{_e(title)}</b></p>'
        f'<p>{_e(_t("表号"))}：<b style="font-size:14pt">{_e(s.number)}</b>{_e(deadline)}</p>{loose}</td>'
        f'<td width="90" align="right"><img src="qr:{_e(s.number)}" width="84" height="84"></td>'
        f'</tr></table>'
        f'<table width="100%" border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse">'
        f'<tr style="background-color:#d9d9d9"><th width="17%">{_e(_t("项目"))}</th>'
        f'<th width="25%">{_e(_t("登记的内容"))}</th><th width="30%">{_e(_t("发现的问题"))}</th>'
        f'<th width="28%">{_e(_t("核实后的内容（入户填写）"))}</th></tr>'
        + "".join(rows) + "</table>"
        f'<p>{_e(_t("核实结果"))}：□ {_e(_t("已更正"))}　□ {_e(_t("原记录无误"))}　□ {_e(_t("无法核实"))}'
        f'　□ {_e(_t("不在本辖区"))}　{_e(_t("说明"))}：______________________</p>')


def household_html(h: FormHousehold, printed: str) -> str:
    village = place_name(h.village) if h.village else ""
    head = (f'<p align="center" style="font-size:18pt"><b>{_e(_t(str(TITLE)))}</b></p>'
            f'<p style="font-size:12pt">{_e(_t("村(居)"))}：<b>{_e(village)}</b>　{_e(_t("户号"))}：{_e(h.household_id)}'
            f'　{_e(_t("地址"))}：{_e(h.address)}　{_e(_t("打印日期"))}：{_e(printed)}</p><hr>')
    body = "<hr>".join(_section_html(s) for s in h.sections)
    sign = (f'<p style="font-size:12pt">{_e(_t("被核查人签名"))}：____________　'
            f'{_e(_t("村(居)专干签名"))}：____________　{_e(_t("日期"))}：_____年___月___日</p>')
    return f'<html><body style="font-family:\'{FONT_FAMILY}\'; font-size:11pt">{head}{body}{sign}</body></html>'


def _document(h: FormHousehold, printed: str, width: float) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultFont(QFont(FONT_FAMILY, 11))
    for s in h.sections:
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"qr:{s.number}"), qr_image(s.number))
    doc.setHtml(household_html(h, printed))
    doc.setTextWidth(width)
    return doc


def paint(device: QPagedPaintDevice, households: list[FormHousehold], printed: str | None = None) -> int:
    """Lays the households out on the device's pages (each household starts a new page);
    returns the number of pages."""
    printed = printed or date.today().isoformat()
    layout = device.pageLayout()
    rect = layout.paintRectPixels(device.logicalDpiY())
    painter = QPainter(device)
    pages = 0
    try:
        for i, h in enumerate(households):
            # The document is laid out at 96 dpi-like units: scale it to the page.
            scale = device.logicalDpiY() / 96.0
            width = rect.width() / scale
            doc = _document(h, printed, width)
            doc.setPageSize(QSizeF(width, rect.height() / scale))
            for page in range(doc.pageCount()):
                if pages:
                    device.newPage()
                pages += 1
                painter.save()
                painter.scale(scale, scale)
                height = rect.height() / scale
                painter.translate(0, -page * height)
                doc.drawContents(painter, QRectF(0, page * height, width, height))
                painter.restore()
    finally:
        painter.end()
    return pages


def write_pdf(path: str | Path, households: list[FormHousehold], printed: str | None = None) -> int:
    """Saves the forms as an A4 PDF; returns the number of pages."""
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setTitle(_t(str(TITLE)))
    writer.setCreator("Hecha")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 12, 15, 12), QPageLayout.Unit.Millimeter))
    return paint(writer, households, printed)


def preview(households: list[FormHousehold], parent=None):
    """Qt's print preview of the forms (A4); printing from it goes to the chosen printer."""
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    class Preview(QPrintPreviewDialog):
        def __init__(self, printer: QPrinter) -> None:
            super().__init__(printer, parent)
            self.kept_printer = printer   # the dialog does not own its printer: keep it alive

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      QMarginsF(15, 12, 15, 12), QPageLayout.Unit.Millimeter))
    dialog = Preview(printer)
    dialog.setWindowTitle(_t("打印入户核查表"))
    dialog.paintRequested.connect(lambda p: paint(p, households))
    return dialog

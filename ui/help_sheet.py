"""帮助: a short guide for the screen on display, the 快捷键 sheet (every key of the window and of
each case screen, read from where the keys are defined), and the explanation of a rule code
(F1 on a finding)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QMessageBox, QTextBrowser, QVBoxLayout,
                               QWidget)

from client.domain.rules import RULES_BY_CODE
from ui.case_screen import CaseScreen, keys_text
from ui.errors import open_dialogs
from ui.messages import field_name, rule_description
from ui.window_geometry import FRAME

LIST_GUIDE = QT_TRANSLATE_NOOP("", "左边选择要处理的清单（异常数据、出生反推、疑似重复，或按状态），"
                               "右边是其中的任务。在搜索框输入姓名、拼音首字母或身份证号查找（Ctrl+F），"
                               "方向键选择，回车打开。处理完一条会自动打开下一条；Esc 回到清单中刚才那一条。")
OUTBOX_GUIDE = QT_TRANSLATE_NOOP("", "这里列出已保存在本机、还没有上传到服务器的修改，以及上传后被退回、"
                                 "冲突或已撤回的修改。「立即重试」马上同步；双击一条打开它的任务；"
                                 "Esc 返回清单。")
SEVERITY_TEXT = {
    "E": QT_TRANSLATE_NOOP("", "错误：必须改正后才能保存。"),
    "W": QT_TRANSLATE_NOOP("", "提醒：可能有问题。确认记录无误时，在提醒旁填写原因（会记录在审计日志中）；否则改正相应字段。"),
    "I": QT_TRANSLATE_NOOP("", "提示：仅供参考，不影响保存。"),
}


def _t(text: object) -> str:
    return QCoreApplication.translate("", str(text))


def _box(parent: QWidget, title: str, html: str, name: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.NoIcon, title, html, QMessageBox.StandardButton.Close,
                      parent)
    box.setObjectName(name)
    box.setTextFormat(box.textFormat().RichText)
    open_dialogs.append(box)
    box.finished.connect(lambda _=None, b=box: open_dialogs.remove(b) if b in open_dialogs else None)
    box.open()
    return box


def guide_text(page: QWidget | None) -> tuple[str, str]:
    """(screen name, guide) for the widget on display."""
    from ui.outbox_view import OutboxView
    if isinstance(page, CaseScreen):
        return _t(page.KIND), _t(page.GUIDE)
    if isinstance(page, OutboxView):
        return _t("待上传的修改"), _t(OUTBOX_GUIDE)
    return _t("任务清单"), _t(LIST_GUIDE)


def show_guide(window, page: QWidget | None) -> QMessageBox:
    name, guide = guide_text(page)
    html = f"<h3>{escape(name)}</h3><p>{escape(guide).replace(chr(10), '<br>')}</p>"
    return _box(window, _t("本页说明"), html, "guideBox")


def shortcut_rows(window) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(section, [(keys, what)])]: the window's menu keys, then each case screen's."""
    general: list[tuple[str, str]] = []
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        for action in menu.actions() if menu is not None else []:
            if not action.shortcut().isEmpty():
                general.append((action.shortcut().toString(action.shortcut().SequenceFormat.NativeText),
                                action.text().replace("&", "").split("\t")[0]))
    general.append((keys_text("Ctrl+F"), _t("查找（清单）")))
    general.append((keys_text("F1"), _t("说明本条记录的问题（在处理页面）")))
    sections = [(_t("全局"), general)]
    seen: set[type] = set()
    for screen in window.case_screens:
        if type(screen) in seen:
            continue
        seen.add(type(screen))
        sections.append((_t(screen.KIND), [(keys_text(c.keys), c.label) for c in screen.commands]))
    return sections


def _section_html(section: str, rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td><b>{escape(k)}</b>&nbsp;&nbsp;</td><td>{escape(w)}</td></tr>"
                    for k, w in rows)
    return f"<h4>{escape(section)}</h4><table>{cells}</table>"


def shortcuts_html(sections: list[tuple[str, list[tuple[str, str]]]]) -> str:
    """The sections in two columns, split where the row counts balance best."""
    total = sum(len(rows) + 2 for _s, rows in sections)  # a heading counts as two rows
    split, running = len(sections), 0
    for i, (_s, rows) in enumerate(sections):
        if running and running + (len(rows) + 2) / 2 > total / 2:
            split = i
            break
        running += len(rows) + 2
    left = "".join(_section_html(s, r) for s, r in sections[:split])
    right = "".join(_section_html(s, r) for s, r in sections[split:])
    return ('<table cellspacing="0" cellpadding="0"><tr>'
            f'<td valign="top" style="padding-right:24px">{left}</td>'
            f'<td valign="top">{right}</td></tr></table>')


class ShortcutSheet(QDialog):
    """快捷键: every key in two columns, in a scrollable browser that never outgrows the screen's
    available height (large font on a 768 px screen)."""

    def __init__(self, window: QWidget, available: QRect | None = None):
        super().__init__(window)
        self.setObjectName("shortcutsBox")
        self.setWindowTitle(_t("快捷键"))
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setHtml(shortcuts_html(shortcut_rows(window)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        screen = window.screen() or QGuiApplication.primaryScreen()
        self.fit_to(available if available is not None else screen.availableGeometry())

    def text(self) -> str:
        return self.browser.toPlainText()

    def fit_to(self, available: QRect) -> None:
        """As large as the content wants, at most the available room less the window frame."""
        inner = available.marginsRemoved(FRAME)
        # The frame the window system drew, once shown (FRAME's guess covers it until then).
        extra = QSize(self.frameGeometry().width() - self.width(),
                      self.frameGeometry().height() - self.height())
        room = inner.size() - extra
        doc = self.browser.document()
        doc.setTextWidth(-1)
        margin = 40  # the browser's frame, document margins and a scroll bar
        width = min(int(doc.size().width()) + margin, room.width() * 9 // 10)
        doc.setTextWidth(width - margin)
        chrome = self.sizeHint().height() - self.browser.sizeHint().height()
        height = min(int(doc.size().height()) + 12 + chrome, room.height())
        self.resize(QSize(width, height).expandedTo(QSize(320, 200)).boundedTo(room))
        frame = QRect(QPoint(0, 0), self.size() + extra)
        parent = self.parentWidget()
        frame.moveCenter(parent.geometry().center() if parent is not None else inner.center())
        x = max(inner.left(), min(frame.left(), inner.right() + 1 - frame.width()))
        y = max(inner.top(), min(frame.top(), inner.bottom() + 1 - frame.height()))
        self.move(x, y)


def show_shortcuts(window, available: QRect | None = None) -> ShortcutSheet:
    sheet = ShortcutSheet(window, available)
    open_dialogs.append(sheet)
    sheet.finished.connect(lambda _=None, b=sheet: open_dialogs.remove(b) if b in open_dialogs
                           else None)
    sheet.open()
    sheet.fit_to(available if available is not None else sheet.screen().availableGeometry())
    return sheet


def rule_explanation(code: str) -> str:
    """What the rule checks, what its severity means, and the fields it concerns (HTML)."""
    rule = RULES_BY_CODE.get(code)
    if rule is None:
        return "<p>" + escape(_t("这一项由服务器检查（{code}）：请按提示核对。").format(code=code)) + "</p>"
    fields = "、".join(field_name(f) for f in rule.fields)
    lines = [f"<b>{escape(rule_description(code))}</b> <small>({escape(code)})</small>",
             escape(_t(SEVERITY_TEXT.get(rule.severity, SEVERITY_TEXT["I"])))]
    if fields:
        lines.append(escape(_t("涉及的字段：{fields}").format(fields=fields)))
    return "<p>" + "<br>".join(lines) + "</p>"


def show_rule_help(parent: QWidget, codes: list[str]) -> QMessageBox:
    """F1 on a finding: the explanation of each rule code (in the order shown)."""
    unique = list(dict.fromkeys(codes))
    html = "".join(rule_explanation(c) for c in unique) or \
        "<p>" + escape(_t("这条记录没有发现问题。")) + "</p>"
    return _box(parent, _t("规则说明"), html, "ruleHelpBox")

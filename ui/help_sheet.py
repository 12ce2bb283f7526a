"""帮助: a short guide for the screen on display, the 快捷键 sheet (every key of the window and of
each case screen, read from where the keys are defined), and the explanation of a rule code
(F1 on a finding)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from client.domain.rules import RULES_BY_CODE
from ui.case_screen import CaseScreen, keys_text
from ui.errors import open_dialogs
from ui.messages import field_name, rule_description

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


def show_shortcuts(window) -> QMessageBox:
    parts = []
    for section, rows in shortcut_rows(window):
        cells = "".join(f"<tr><td><b>{escape(k)}</b>&nbsp;&nbsp;</td><td>{escape(w)}</td></tr>"
                        for k, w in rows)
        parts.append(f"<h4>{escape(section)}</h4><table>{cells}</table>")
    return _box(window, _t("快捷键"), "".join(parts), "shortcutsBox")


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

"""The citizen ID number field: normalizes as the worker types or pastes, shows the birth date
and sex the number implies, and flags a mismatch with the form's birth date and sex."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from client.domain.idnumber import ID_MESSAGES, IdCheck, check_id_number, normalize_id_text

SEX_NAMES = {1: "男", 2: "女"}
# Short forms beside the field (the full sentence is in the tooltip and, in the person form,
# in the rule finding under the field: saying it twice in full only adds noise).
SHORT = {
    "ID_EMPTY": QT_TRANSLATE_NOOP("", "未填写"),
    "ID_SCIENTIFIC": QT_TRANSLATE_NOOP("", "被显示成科学计数法，后几位已丢失"),
    "ID_FORMAT": QT_TRANSLATE_NOOP("", "格式不对"),
    "ID_CHECKSUM": QT_TRANSLATE_NOOP("", "校验位不对"),
    "ID_DATE": QT_TRANSLATE_NOOP("", "出生日期不存在"),
    "ID_PROVINCE": QT_TRANSLATE_NOOP("", "省份代码不对"),
    "ID_PLACEHOLDER": QT_TRANSLATE_NOOP("", "占位号码，不是真实号码"),
}


def _t(text: object) -> str:  # QT_TRANSLATE_NOOP entries are typed object by PySide6's stubs
    return QCoreApplication.translate("", str(text))


class IdNumberField(QWidget):
    """A line edit plus a status line. value() is the normalized text (may be invalid)."""

    sig_changed = Signal(str)
    """The (normalized) text changed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(_t("18位身份证号码"))
        self.edit.setMaxLength(40)  # room for pasted text with spaces; normalized below
        # The whole number always fits; the status line gets what is left and wraps, so a long
        # message (or a longer translation) never squeezes the number itself.
        self._fit_number()
        self.status = QLabel(self)
        self.status.setObjectName("idStatus")
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # Both at the top: a status that wraps to more lines must not push the number down,
        # away from its caption (issue 15.7).
        layout.addWidget(self.edit, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.status, 1, Qt.AlignmentFlag.AlignTop)
        self.setFocusProxy(self.edit)
        self._expected_birth: str | None = None
        self._expected_sex: str | None = None
        self._check: IdCheck | None = None
        self.edit.textEdited.connect(self._on_edited)
        self._refresh()

    def _fit_number(self) -> None:
        # Measured with the font the edit has now: large-font mode widens it (issue 15.7).
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("0" * 18 + "X") + 24)

    def changeEvent(self, event) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            # After the style sheet has given the edit its new font too.
            QTimer.singleShot(0, self, self._fit_number)
        super().changeEvent(event)

    # -- value ----------------------------------------------------------------------------------

    def value(self) -> str | None:
        return self.edit.text() or None

    def set_value(self, text: str | None) -> None:
        self.edit.setText(normalize_id_text(text) if text else "")
        self._refresh()

    def check(self) -> IdCheck:
        return self._check or check_id_number(self.edit.text())

    def set_expected(self, birth_date: str | None, sex: str | None) -> None:
        """The form's birth date (ISO) and sex code, compared with what the number implies."""
        self._expected_birth, self._expected_sex = birth_date, sex
        self._refresh()

    def mismatches(self) -> list[str]:
        """"birth_date" and/or "sex" when a valid number disagrees with the form."""
        c = self.check()
        out: list[str] = []
        if not c.valid:
            return out
        if self._expected_birth and c.birth_date and self._expected_birth != c.birth_date.isoformat():
            out.append("birth_date")
        if self._expected_sex in ("1", "2") and c.sex and int(self._expected_sex) != c.sex:
            out.append("sex")
        return out

    # -- internals ------------------------------------------------------------------------------

    def _on_edited(self, text: str) -> None:
        # Normalize in place (full-width digits, spaces, hyphens, lower-case x) keeping the cursor
        # after the same character the worker just typed.
        cursor = self.edit.cursorPosition()
        normalized = normalize_id_text(text)
        if normalized != text:
            new_cursor = len(normalize_id_text(text[:cursor]))
            self.edit.setText(normalized)
            self.edit.setCursorPosition(min(new_cursor, len(normalized)))
        self._refresh()
        self.sig_changed.emit(self.edit.text())

    def _refresh(self) -> None:
        text = self.edit.text()
        self._check = check_id_number(text)
        c = self._check
        if not text:
            self._show("", "hint")
            return
        if c.valid:
            parts = ["✔ " + _t("校验通过")]
            if c.birth_date:
                parts.append(c.birth_date.isoformat())
            if c.sex in SEX_NAMES:
                parts.append(_t(SEX_NAMES[c.sex]))
            text_out = " · ".join(parts)
            role = "ok"
            mism = self.mismatches()
            if mism:
                names = {"birth_date": _t("出生日期"), "sex": _t("性别")}
                text_out += "  ✖ " + _t("与{fields}不一致").format(
                    fields="、".join(names[m] for m in mism))
                role = "error"
            elif c.warnings:
                # The wording comes with the rule finding under the field; here only the mark.
                text_out += "  ▲"
            tip = "\n".join([text_out, *(ID_MESSAGES.get(w, w) for w in c.warnings)])
            self._show(text_out, role, tip)
            return
        digits = len(normalize_id_text(text))
        if digits < 18 and text.isalnum() and c.errors == ("ID_FORMAT",) and digits != 15:
            # Still typing: count, do not shout.
            self._show(_t("已输入 {n}/18 位").format(n=digits), "hint")
            return
        code = c.errors[0]
        short = _t(SHORT[code]) if code in SHORT else ID_MESSAGES.get(code, code)
        self._show("✖ " + short, "error", ID_MESSAGES.get(code, code))

    def _show(self, text: str, role: str, tip: str | None = None) -> None:
        self.status.setText(text)
        self.status.setToolTip(tip or text)
        self.status.setProperty("role", role)
        self.edit.setProperty("finding", "error" if role == "error" else "")
        for w in (self.status, self.edit):
            w.style().unpolish(w)
            w.style().polish(w)

    @property
    def state(self) -> str:
        """"empty", "typing", "valid", "mismatch" or "invalid" (for tests and the form)."""
        role = self.status.property("role")
        if not self.edit.text():
            return "empty"
        if role == "hint":
            return "typing"
        if role == "ok":
            return "valid"
        return "mismatch" if self.check().valid else "invalid"


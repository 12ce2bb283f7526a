"""A date field that accepts the ways people type dates and stores ISO YYYY-MM-DD (or empty)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

_PATTERNS = (
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
)


def parse_date_text(text: str | None) -> str | None:
    """'1990-1-2', '1990/01/02', '19900102', '1990年1月2日' -> '1990-01-02'; None if not a date."""
    s = unicodedata.normalize("NFKC", text or "").strip().replace(" ", "")
    for pattern in _PATTERNS:
        m = pattern.match(s)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
            except ValueError:
                return None
    return None


class DateField(QLineEdit):
    """value() is ISO text, the raw text when it is not a date (so the rules can report it),
    or None when empty."""

    sig_value_changed = Signal(object)
    """The value changed (after normalization)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText(QCoreApplication.translate("DateField", "例如 1990-01-31"))
        self.setMaxLength(20)
        self.editingFinished.connect(self._normalize)
        self.textEdited.connect(lambda _t: self.sig_value_changed.emit(self.value()))

    def value(self) -> str | None:
        text = self.text().strip()
        if not text:
            return None
        return parse_date_text(text) or text

    def set_value(self, value: str | None) -> None:
        self.setText(value or "")

    def is_valid(self) -> bool:
        return not self.text().strip() or parse_date_text(self.text()) is not None

    def _normalize(self) -> None:
        iso = parse_date_text(self.text())
        if iso and iso != self.text():
            self.setText(iso)
            self.sig_value_changed.emit(iso)
        if not self.is_valid():
            self.setToolTip(QCoreApplication.translate("DateField", "日期格式应为 1990-01-31"))
        else:
            self.setToolTip("")

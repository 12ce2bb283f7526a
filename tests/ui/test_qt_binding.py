"""Guards against a Qt binding that corrupts reference counts (PySide6 6.12.0 on Python 3.11
dropped a reference to None/True/False on every QVariant conversion and signal emission, which
crashes the app after enough calls). Python 3.12+ hides this (immortal objects), 3.11 does not."""

from __future__ import annotations

import sys

from PySide6.QtCore import QModelIndex, QObject, QStringListModel, Qt, Signal


class _Emitter(QObject):
    sig = Signal(object)


def _stable(fn, obj, n=200) -> int:
    before = sys.getrefcount(obj)
    for _ in range(n):
        fn()
    return sys.getrefcount(obj) - before


def test_none_survives_model_data(qapp):
    model = QStringListModel(["a"])
    assert _stable(lambda: model.index(0).data(Qt.ItemDataRole.ToolTipRole), None) >= 0
    assert _stable(lambda: QModelIndex().data(), None) >= 0


def test_bools_survive_signals(qapp):
    e = _Emitter()
    e.sig.connect(lambda v: None)
    assert _stable(lambda: e.sig.emit(True), True) >= 0
    assert _stable(lambda: e.sig.emit(False), False) >= 0

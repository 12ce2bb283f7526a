"""The left-hand navigation: the kinds of case with their open counts, then the cross-kind
state lists (已处理待上传, 冲突, 被退回, 已撤回). Selecting one filters the worklist."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from client.worklist import WorkQuery
from ui.worklist_model import state_icon

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: object  # a QT_TRANSLATE_NOOP entry (typed object by PySide6's stubs)
    kind: str | None
    states: tuple[str, ...] | None

    def text(self) -> str:
        """The label in the worker's language."""
        return QCoreApplication.translate("Navigation", str(self.label))

    def query(self) -> WorkQuery:
        return WorkQuery(kind=self.kind, states=self.states)


ENTRIES = [
    NavEntry("error", QT_TRANSLATE_NOOP("Navigation", "异常数据"), "error", ("open",)),
    NavEntry("birth", QT_TRANSLATE_NOOP("Navigation", "出生反推"), "birth", ("open",)),
    NavEntry("duplicates", QT_TRANSLATE_NOOP("Navigation", "疑似重复"), "duplicates", ("open",)),
    NavEntry("pending", QT_TRANSLATE_NOOP("Navigation", "已处理待上传"), None, ("pending",)),
    NavEntry("conflict", QT_TRANSLATE_NOOP("Navigation", "冲突"), None, ("conflict",)),
    NavEntry("rejected", QT_TRANSLATE_NOOP("Navigation", "被退回"), None, ("rejected",)),
    NavEntry("gone", QT_TRANSLATE_NOOP("Navigation", "已撤回"), None, ("gone",)),
    NavEntry("done", QT_TRANSLATE_NOOP("Navigation", "已完成"), None, ("done", "archived")),
]
BY_KEY = {e.key: e for e in ENTRIES}
SEPARATOR_AFTER = "duplicates"


def count_for(entry: NavEntry, counts: dict[tuple[str, str], int]) -> int:
    return sum(n for (kind, state), n in counts.items()
               if (entry.kind is None or kind == entry.kind)
               and (entry.states is None or state in entry.states))


class NavigationPanel(QListWidget):
    """A list of NavEntry rows; `sig_selected(entry)` when the worker picks one."""

    sig_selected = Signal(object)
    """The worker selected a list (argument: NavEntry)."""

    sig_page = Signal(str)
    """The worker selected a page that is not a list (argument: its key)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("navigation")
        self._items: dict[str, QListWidgetItem] = {}
        for entry in ENTRIES:
            item = QListWidgetItem(self)
            item.setData(KEY_ROLE, entry.key)
            if entry.kind is None and entry.states:
                item.setIcon(state_icon(entry.states[0]))
            self._items[entry.key] = item
            if entry.key == SEPARATOR_AFTER:
                sep = QListWidgetItem("──────", self)
                sep.setFlags(Qt.ItemFlag.NoItemFlags)
        self.counts: dict[str, int] = {}
        self.set_counts({})
        self.currentItemChanged.connect(self._on_current)
        self.setMinimumWidth(170)

    def set_counts(self, counts: dict[tuple[str, str], int]) -> None:
        for entry in ENTRIES:
            n = count_for(entry, counts)
            self.counts[entry.key] = n
            label = entry.text()
            self._items[entry.key].setText(f"{label}  {n}")

    def add_page(self, key: str, label: str) -> None:
        """A page below the lists (e.g. 辖区进度 for county and city accounts)."""
        sep = QListWidgetItem("──────", self)
        sep.setFlags(Qt.ItemFlag.NoItemFlags)
        item = QListWidgetItem(label, self)
        item.setData(KEY_ROLE, key)
        self._items[key] = item

    def select(self, key: str) -> None:
        self.setCurrentItem(self._items[key])

    def current_entry(self) -> NavEntry | None:
        item = self.currentItem()
        return BY_KEY.get(item.data(KEY_ROLE)) if item is not None else None

    def _on_current(self, current, _previous) -> None:
        if current is not None and current.data(KEY_ROLE) in BY_KEY:
            self.sig_selected.emit(BY_KEY[current.data(KEY_ROLE)])
        elif current is not None and current.data(KEY_ROLE):
            self.sig_page.emit(current.data(KEY_ROLE))

"""The division picker: province → prefecture → county → township → village, searchable by name.

The value is always the 12-digit statistical code. The tree is a lazy item model over
division_tree().children (which already hides 市辖区-style levels): a node's children are
read only when the worker expands it.
"""

from __future__ import annotations

from PySide6.QtCore import (QAbstractItemModel, QAbstractListModel, QCoreApplication,
                            QModelIndex, Qt, QTimer, Signal)
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLineEdit, QListView, QPushButton,
                               QStackedWidget, QTreeView, QVBoxLayout, QWidget)

from client.domain.divisions import Division, DivisionTree, division_tree

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
PATH_SEP = " › "


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


class _Node:
    __slots__ = ("division", "parent", "row", "children")

    def __init__(self, division: Division | None, parent: "_Node | None", row: int):
        self.division = division
        self.parent = parent
        self.row = row
        self.children: list[_Node] | None = None  # None: not fetched yet


class DivisionTreeModel(QAbstractItemModel):
    """Lazy tree over the division table, optionally rooted at one division (a jurisdiction)."""

    def __init__(self, tree: DivisionTree | None = None, root_code: str | None = None,
                 parent=None):
        super().__init__(parent)
        self.tree = tree or division_tree()
        root_div = self.tree.get(root_code) if root_code else None
        self._root = _Node(None, None, 0)
        if root_div is not None:
            # The jurisdiction itself is the single top row, so its name stays visible.
            self._root.children = [_Node(root_div, self._root, 0)]

    def _node(self, index: QModelIndex) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    def _children_of(self, node: _Node) -> list[Division]:
        code = node.division.code12 if node.division else None
        return self.tree.children(code)

    # -- structure ------------------------------------------------------------------------------

    def index(self, row, column, parent=QModelIndex()):
        if column != 0 or row < 0:
            return QModelIndex()
        node = self._node(parent)
        if node.children is None or row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row])

    def parent(self, index=QModelIndex()):
        if not index.isValid():
            return QModelIndex()
        node: _Node = index.internalPointer()
        up = node.parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(up.row, 0, up)

    def rowCount(self, parent=QModelIndex()):
        if parent.isValid() and parent.column() != 0:
            return 0
        node = self._node(parent)
        return len(node.children) if node.children is not None else 0

    def columnCount(self, parent=QModelIndex()):
        return 1

    def hasChildren(self, parent=QModelIndex()):
        node = self._node(parent)
        if node.children is not None:
            return bool(node.children)
        if node.division is None:
            return True
        return self.tree.has_children(node.division.code12)

    def canFetchMore(self, parent):
        return self._node(parent).children is None

    def fetchMore(self, parent):
        node = self._node(parent)
        if node.children is not None:
            return
        divisions = self._children_of(node)
        if not divisions:
            node.children = []
            return
        self.beginInsertRows(parent, 0, len(divisions) - 1)
        node.children = [_Node(d, node, i) for i, d in enumerate(divisions)]
        self.endInsertRows()

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        d = index.internalPointer().division
        if d is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return d.name
        if role == CODE_ROLE:
            return d.code12
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{d.code12} {self.tree.path_name(d.code12, PATH_SEP)}"
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and section == 0:
            return _t("行政区划")
        return None

    def index_of(self, code: str) -> QModelIndex:
        """Fetch down the path to code and return its index (invalid if not under the root)."""
        chain = [d.code12 for d in self.tree.ancestors(code)]
        if not chain:
            return QModelIndex()
        target, wanted = chain[-1], set(chain)
        parent = QModelIndex()
        while True:
            if self.canFetchMore(parent):
                self.fetchMore(parent)
            step = None
            for row in range(self.rowCount(parent)):
                idx = self.index(row, 0, parent)
                c = idx.data(CODE_ROLE)
                if c == target:
                    return idx
                if c in wanted:
                    step = idx
                    break
            if step is None:
                return QModelIndex()
            parent = step


class DivisionSearchModel(QAbstractListModel):
    """Search results: each row a division with its full path."""

    def __init__(self, tree: DivisionTree, parent=None):
        super().__init__(parent)
        self.tree = tree
        self._rows: list[Division] = []

    def set_results(self, divisions: list[Division]) -> None:
        self.beginResetModel()
        self._rows = list(divisions)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        d = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tree.path_name(d.code12, PATH_SEP)
        if role == CODE_ROLE:
            return d.code12
        if role == Qt.ItemDataRole.ToolTipRole:
            return d.code12
        return None


class DivisionPopup(QFrame):
    """The drop-down: a search box over a tree (browse) or a result list (search)."""

    sig_chosen = Signal(str)
    """A division was chosen (12-digit code)."""

    def __init__(self, tree: DivisionTree, root_code: str | None, parent=None):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.tree = tree
        self.root_code = root_code
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(_t("输入名称搜索，如“城关”或“乾县 城关”"))
        self.search.setClearButtonEnabled(True)
        self.tree_model = DivisionTreeModel(tree, root_code, self)
        self.tree_view = QTreeView(self)
        self.tree_view.setModel(self.tree_model)
        self.tree_view.setHeaderHidden(True)
        self.tree_view.setUniformRowHeights(True)
        self.result_model = DivisionSearchModel(tree, self)
        self.result_view = QListView(self)
        self.result_view.setModel(self.result_model)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.tree_view)
        self.stack.addWidget(self.result_view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.stack)
        self.resize(520, 420)
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self._run_search)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._choose_first_result)
        self.tree_view.activated.connect(self._choose_index)
        self.tree_view.doubleClicked.connect(self._choose_index)
        self.result_view.activated.connect(self._choose_index)
        self.result_view.clicked.connect(self._choose_index)

    def show_at(self, widget: QWidget, code: str | None) -> None:
        self.search.clear()
        self.stack.setCurrentWidget(self.tree_view)
        if self.tree_model.canFetchMore(QModelIndex()):
            self.tree_model.fetchMore(QModelIndex())
        if code:
            idx = self.tree_model.index_of(code)
            if idx.isValid():
                self.tree_view.setCurrentIndex(idx)
                self.tree_view.scrollTo(idx)
        elif self.root_code:
            self.tree_view.expand(self.tree_model.index(0, 0))
        self.move(widget.mapToGlobal(widget.rect().bottomLeft()))
        self.show()
        self.search.setFocus()

    def _run_search(self) -> None:
        text = self.search.text().strip()
        if not text:
            self.stack.setCurrentWidget(self.tree_view)
            return
        self.result_model.set_results(self.tree.search(text, limit=50, within=self.root_code))
        self.stack.setCurrentWidget(self.result_view)
        if self.result_model.rowCount():
            self.result_view.setCurrentIndex(self.result_model.index(0, 0))

    def _choose_first_result(self) -> None:
        self._debounce.stop()
        self._run_search()
        if self.stack.currentWidget() is self.result_view:
            idx = self.result_view.currentIndex()
            if idx.isValid():
                self._choose_index(idx)

    def _choose_index(self, index) -> None:
        code = index.data(CODE_ROLE)
        if code:
            self.sig_chosen.emit(code)
            self.hide()

    def keyPressEvent(self, event):
        # Down from the search box goes into the list, so the picker works without a mouse.
        page = self.stack.currentWidget()
        if event.key() == Qt.Key.Key_Down and self.search.hasFocus() and page is not None:
            page.setFocus()
            return
        super().keyPressEvent(event)


class DivisionPicker(QWidget):
    """Shows the chosen division's path; the button (or F4 / Alt+Down) opens the popup."""

    sig_code_changed = Signal(object)
    """The chosen 12-digit code changed (None when cleared)."""

    def __init__(self, parent: QWidget | None = None, root_code: str | None = None,
                 tree: DivisionTree | None = None):
        super().__init__(parent)
        self.tree = tree or division_tree()
        self.root_code = root_code
        self._code: str | None = None
        self._path = ""
        self.display = QLineEdit(self)
        self.display.setReadOnly(True)
        self.display.setPlaceholderText(_t("点击选择或搜索"))
        self.button = QPushButton(_t("选择…"), self)
        self.button.setAutoDefault(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.display, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.display)
        self.popup: DivisionPopup | None = None
        self.button.clicked.connect(self.open_popup)
        self.display.installEventFilter(self)

    def code(self) -> str | None:
        return self._code

    def set_code(self, code: str | None, emit: bool = False) -> None:
        code = code or None
        changed = code != self._code
        self._code = code
        if code is None:
            self._path = ""
            self.setToolTip("")
        else:
            path = self.tree.path_name(code, PATH_SEP)
            self._path = path or _t("{code}（代码表中没有）").format(code=code)
            self.setToolTip(f"{self._path}\n{code}")  # the display may hold 原值 instead
        self._show_path()
        if emit and changed:
            self.sig_code_changed.emit(code)

    def _show_path(self) -> None:
        """The whole path when it fits; else its last levels after "…" (the village matters
        most), never a path silently cut at its start (issue 15.7)."""
        text = self._path
        room = self.display.contentsRect().width() - 12
        fm = self.display.fontMetrics()
        if self.display.isVisible() and fm.horizontalAdvance(text) > room and PATH_SEP in text:
            parts = text.split(PATH_SEP)
            for i in range(1, len(parts)):
                text = "…" + PATH_SEP + PATH_SEP.join(parts[i:])
                if fm.horizontalAdvance(text) <= room:
                    break
        self.display.setText(text)
        self.display.setCursorPosition(0)

    def open_popup(self) -> DivisionPopup:
        if self.popup is None:
            self.popup = DivisionPopup(self.tree, self.root_code, self)
            self.popup.sig_chosen.connect(lambda c: self.set_code(c, emit=True))
        self.popup.show_at(self.display, self._code)
        return self.popup

    def eventFilter(self, obj, event):
        from PySide6.QtCore import QEvent
        if obj is self.display:
            if event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.FontChange):
                QTimer.singleShot(0, self, self._show_path)
            if event.type() == QEvent.Type.MouseButtonPress:
                self.open_popup()
                return True
            if event.type() == QEvent.Type.KeyPress:
                key = event.key()
                if key in (Qt.Key.Key_F4, Qt.Key.Key_Space) or (
                        key == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier):
                    self.open_popup()
                    return True
                if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                    self.set_code(None, emit=True)
                    return True
        return super().eventFilter(obj, event)

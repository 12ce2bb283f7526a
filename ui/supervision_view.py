"""辖区进度: the supervision page of county and city accounts.

Progress per township (city: per county), drilled down to villages with Enter or a double click,
from the server when online and from the local store when not (with its "as of" time). Below, the
cases of the selected place (online): open one read-only with its history, reassign it to a worker
of the jurisdiction (refusals shown), set its deadline."""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout,
                               QHeaderView, QInputDialog, QLabel, QPlainTextEdit, QPushButton,
                               QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from client.reports import done_ratio, local_time
from client.workspace.errors import SyncError
from client.workspace.supervision import Progress, levels_for
from ui.errors import describe, show_message
from ui.worklist_model import OVERDUE_BACKGROUND, OVERDUE_TEXT, place_name, state_name

STALE_DAYS = 3  # a PC that has not synced for this many days stands out
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = [
    ("name", QT_TRANSLATE_NOOP("", "地区")),
    ("open", QT_TRANSLATE_NOOP("", "待办")),
    ("done", QT_TRANSLATE_NOOP("", "已完成")),
    ("waiting", QT_TRANSLATE_NOOP("", "待上传")),
    ("conflict", QT_TRANSLATE_NOOP("", "冲突")),
    ("rejected", QT_TRANSLATE_NOOP("", "被退回")),
    ("withdrawn", QT_TRANSLATE_NOOP("", "已收回")),
    ("overdue", QT_TRANSLATE_NOOP("", "逾期")),
    ("ratio", QT_TRANSLATE_NOOP("", "完成率")),
    ("oldest_open_days", QT_TRANSLATE_NOOP("", "最久待办（天）")),
    ("workers", QT_TRANSLATE_NOOP("", "专干最近同步")),
]
CASE_COLUMNS = [QT_TRANSLATE_NOOP("", "编号"), QT_TRANSLATE_NOOP("", "类型"),
                QT_TRANSLATE_NOOP("", "姓名"), QT_TRANSLATE_NOOP("", "状态"),
                QT_TRANSLATE_NOOP("", "经办人"), QT_TRANSLATE_NOOP("", "期限"),
                QT_TRANSLATE_NOOP("", "村(居)")]
KIND_NAMES = {"error": QT_TRANSLATE_NOOP("", "异常数据"),
              "birth": QT_TRANSLATE_NOOP("", "出生反推"),
              "duplicates": QT_TRANSLATE_NOOP("", "疑似重复")}
SERVER_STATES = {"open": "open", "completed": "done", "withdrawn": "gone", "deleted": "gone"}
HISTORY_LINE = QT_TRANSLATE_NOOP("", "第 {version} 版 · {at} · {actor} · {action} · 经办人 {to}")


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


def days_since(iso_utc: str | None, now: datetime | None = None) -> int | None:
    if not iso_utc:
        return None
    then = datetime.strptime(iso_utc[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    return ((now or datetime.now(timezone.utc)) - then).days


def workers_text(row: dict) -> tuple[str, bool]:
    """('alice 12-05 08:00；bob 从未同步', stale?) for the workers of a row."""
    parts, stale = [], False
    for w in row.get("workers") or []:
        days = days_since(w.get("last_sync"))
        if days is None:
            parts.append(_t("{user} 从未同步").format(user=w["username"]))
            stale = True
            continue
        when = local_time(w["last_sync"])[5:]
        if days >= STALE_DAYS:
            stale = True
            parts.append(_t("{user} {when}（{days} 天未同步）").format(user=w["username"], when=when, days=days))
        else:
            parts.append(f"{w['username']} {when}")
    return "；".join(parts), stale


class CaseDialog(QDialog):
    """A case of the jurisdiction, read-only: what it shows and its history."""

    def __init__(self, case: dict, parent: QWidget | None = None):
        super().__init__(parent)
        record = case.get("record") or {}
        self.setWindowTitle(_t("任务 {id}（只读）").format(id=record.get("id", "")))
        layout = QVBoxLayout(self)
        data = record.get("data") or {}
        person = data.get("person") or (data.get("proposed") or {})
        lines = [_t("类型：{kind}").format(kind=_t(str(KIND_NAMES.get(record.get("type", ""), record.get("type", ""))))),
                 _t("状态：{state}").format(state=state_name(SERVER_STATES.get(case.get("status", ""), "open"))),
                 _t("经办人：{user}").format(user=case.get("assigned_to", "")),
                 _t("村(居)：{place}").format(place=place_name(case.get("place")))]
        if data.get("deadline"):
            lines.append(_t("期限：{date}").format(date=data["deadline"]))
        for key in ("name", "id_number", "birth_date"):
            if person.get(key):
                lines.append(f"{key}: {person[key]}")
        for f in data.get("findings") or []:
            lines.append("· " + (f.get("message") or f.get("code") or ""))
        self.summary = QLabel("\n".join(lines), self)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(_t("处理记录"), self))
        self.history = QPlainTextEdit(self)
        self.history.setReadOnly(True)
        self.history.setPlainText("\n".join(
            _t(str(HISTORY_LINE)).format(version=h.get("version"), at=local_time(h.get("at")),
                                    actor=h.get("actor"), action=h.get("action"),
                                    to=h.get("assigned_to")) for h in case.get("history") or []))
        layout.addWidget(self.history, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 480)


class SupervisionView(QWidget):
    """The 辖区进度 page; `refresh()` shows the cached figures at once, then fetches new ones."""

    sig_status = Signal(str)
    """A short message for the status bar."""

    def __init__(self, bg, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.bg, self.ws = bg, workspace
        jurisdiction = (workspace.user or {}).get("jurisdiction", "")
        self.top_level, self.detail_level = levels_for(jurisdiction)
        self.path: list[tuple[str, str | None]] = [(self.top_level, None)]   # (level, place)
        self.progress: Progress | None = None
        self.offline = False
        self.title = QLabel(self)
        self.title.setProperty("role", "title")
        self.as_of = QLabel(self)
        self.up_button = QPushButton(_t("返回上级"), self)
        self.refresh_button = QPushButton(_t("刷新"), self)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([_t(str(label)) for _, label in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.cases_label = QLabel(self)
        self.cases = QTableWidget(0, len(CASE_COLUMNS), self)
        self.cases.setHorizontalHeaderLabels([_t(str(c)) for c in CASE_COLUMNS])
        self.cases.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cases.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.cases.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cases.verticalHeader().setVisible(False)
        self.cases.horizontalHeader().setStretchLastSection(True)
        self.view_button = QPushButton(_t("查看（只读）"), self)
        self.reassign_button = QPushButton(_t("改派…"), self)
        self.deadline_button = QPushButton(_t("设期限…"), self)
        self._case_rows: list[dict] = []
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.as_of)
        top.addWidget(self.up_button)
        top.addWidget(self.refresh_button)
        actions = QHBoxLayout()
        actions.addWidget(self.cases_label)
        actions.addStretch(1)
        for b in (self.view_button, self.reassign_button, self.deadline_button):
            actions.addWidget(b)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(actions)
        lower_layout.addWidget(self.cases, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setSizes([400, 260])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.up_button.clicked.connect(self.go_up)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.activated.connect(lambda index: self.drill_down(index.row()))
        self.table.itemSelectionChanged.connect(self._load_cases)
        self.cases.activated.connect(lambda _i: self.view_case())
        self.view_button.clicked.connect(self.view_case)
        self.reassign_button.clicked.connect(self.reassign_case)
        self.deadline_button.clicked.connect(self.set_deadline)
        self.table.installEventFilter(self)
        QShortcut(QKeySequence("Ctrl+R"), self, self.refresh)
        self._update_buttons()

    def eventFilter(self, obj, event) -> bool:
        # Backspace in the table goes back up a level (Enter drills down: `activated`).
        if obj is self.table and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Backspace:
            self.go_up()
            return True
        return super().eventFilter(obj, event)

    # -- figures ------------------------------------------------------------------------------
    @property
    def level(self) -> str:
        return self.path[-1][0]

    @property
    def place(self) -> str | None:
        return self.path[-1][1]

    def refresh(self) -> None:
        """The cached figures now (offline too), then the server's when it answers."""
        level, place = self.path[-1]
        self.bg.read(self.ws.cached_progress, level, place, name="cached progress",
                     on_result=lambda p: self._show(p, cached=True))
        self.bg.net(self.ws.fetch_progress, level, place, name="progress",
                    on_result=lambda p: self._show(p, cached=False), on_error=self._offline)

    def _offline(self, exc: BaseException) -> None:
        self.offline = True
        self._show_as_of()
        self.sig_status.emit(describe(exc).text)

    def _show(self, progress, *, cached: bool) -> None:
        if progress is None:
            self._show_as_of()
            return
        if progress.level != self.level or (self.place and progress.place != self.place):
            return   # an answer for a page the supervisor already left
        if cached and self.progress is not None and self.progress.as_of >= progress.as_of:
            return   # the server answered first
        self.progress = progress
        if not cached:
            self.offline = False
        self.title.setText(_t("辖区进度 · {name}").format(name=progress.name or progress.place))
        self._show_as_of()
        self.table.setRowCount(len(progress.rows) + 1)
        for r, row in enumerate(progress.rows):
            self._fill_row(r, row)
        self._fill_row(len(progress.rows), {"name": _t("合计"), "place": "", **progress.totals(),
                                            "oldest_open_days": None, "workers": []})
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def _show_as_of(self) -> None:
        if self.progress is None:
            self.as_of.setText(_t("尚无数据：请联网后刷新") if self.offline else _t("正在读取…"))
            return
        text = _t("截至 {time}").format(time=local_time(self.progress.as_of))
        if self.offline:
            text += _t("（离线，显示上次的数据）")
        self.as_of.setText(text)

    def _fill_row(self, r: int, row: dict) -> None:
        workers, stale = workers_text(row)
        ratio = done_ratio(row)
        for c, (key, _label) in enumerate(COLUMNS):
            if key == "name":
                text = row.get("name") or row.get("place", "")
            elif key == "ratio":
                text = f"{ratio:.0%}" if ratio is not None else ""
            elif key == "workers":
                text = workers
            else:
                value = row.get(key)
                text = "" if value is None else str(value)
            item = QTableWidgetItem(text)
            item.setData(CODE_ROLE, row.get("place", ""))
            if key not in ("name", "workers"):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if key == "overdue" and row.get("overdue"):
                item.setBackground(QColor(OVERDUE_BACKGROUND))
                item.setForeground(QColor(OVERDUE_TEXT))
            if key == "workers" and stale:
                item.setForeground(QColor(OVERDUE_TEXT))
            self.table.setItem(r, c, item)

    def selected_place(self) -> str:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.data(CODE_ROLE) if item is not None else ""

    def drill_down(self, row: int) -> None:
        item = self.table.item(row, 0)
        code = item.data(CODE_ROLE) if item is not None else ""
        if not code or self.level == "village":
            return
        next_level = {"county": "township", "township": "village"}[self.level]
        self.path.append((next_level, code))
        self._reset()

    def go_up(self) -> None:
        if len(self.path) > 1:
            self.path.pop()
            self._reset()

    def _reset(self) -> None:
        """Another level: its figures (cached, then fetched); no case list until a place is picked."""
        self.progress = None
        self.table.setRowCount(0)
        self._case_rows = []
        self.cases.setRowCount(0)
        self.cases_label.setText("")
        self._update_buttons()
        self.refresh()

    # -- cases of the selected place ------------------------------------------------------------
    def _load_cases(self) -> None:
        place = self.selected_place()
        self._update_buttons()
        if not place:
            return
        self.cases_label.setText(_t("{place} 的任务：正在读取…").format(place=place_name(place)))
        self.bg.net(self.ws.place_cases, place, name="place cases",
                    on_result=lambda cases, place=place: self._show_cases(place, cases),
                    on_error=lambda exc: self.cases_label.setText(
                        _t("离线：任务清单需要联网查看")))

    def _show_cases(self, place: str, cases: list[dict]) -> None:
        if place != self.selected_place():
            return
        self._case_rows = cases
        self.cases_label.setText(_t("{place} 的任务（{n} 条）").format(place=place_name(place), n=len(cases)))
        self.cases.setRowCount(len(cases))
        today = datetime.now().date().isoformat()
        for r, c in enumerate(cases):
            values = [c["id"], _t(str(KIND_NAMES.get(c["kind"], c["kind"]))), c.get("title") or "",
                      state_name(SERVER_STATES.get(c["status"], "open")), c["assigned_to"],
                      c.get("deadline") or "", place_name(c.get("place"))]
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                if c.get("deadline") and c["deadline"] < today and c["status"] == "open":
                    item.setBackground(QColor(OVERDUE_BACKGROUND))
                self.cases.setItem(r, col, item)
        self.cases.resizeColumnsToContents()
        self._update_buttons()

    def current_case(self) -> dict | None:
        r = self.cases.currentRow()
        return self._case_rows[r] if 0 <= r < len(self._case_rows) else None

    def _update_buttons(self) -> None:
        has_case = self.current_case() is not None
        for b in (self.view_button, self.reassign_button, self.deadline_button):
            b.setEnabled(has_case)
        self.up_button.setEnabled(len(self.path) > 1)

    def _refused(self, exc: BaseException) -> None:
        msg = describe(exc)
        detail = exc.problem if isinstance(exc, SyncError) else {}  # the server's own reason
        show_message(detail.get("detail") or msg.text, parent=self)

    def view_case(self) -> None:
        case = self.current_case()
        if case is None:
            return
        self.bg.net(self.ws.office_case, case["id"], name="office case",
                    on_result=lambda data: self._open_dialog(CaseDialog(data, self)), on_error=self._refused)

    def _open_dialog(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    def reassign_case(self) -> None:
        case = self.current_case()
        if case is None:
            return
        self.bg.net(self.ws.staff, name="staff", on_result=lambda users: self._choose_worker(case, users),
                    on_error=self._refused)

    def _choose_worker(self, case: dict, users: list[dict]) -> None:
        place = case.get("place") or ""
        fits = [u for u in users if u["username"] != case["assigned_to"] and u.get("active", True)
                and place.startswith(u["jurisdiction"])]
        labels = [f"{u['username']} · {u.get('display_name') or ''}" for u in fits]
        if not labels:
            show_message(_t("辖区内没有可以改派的其他专干。"), parent=self)
            return
        label, ok = QInputDialog.getItem(self, _t("改派任务 {id}").format(id=case["id"]),
                                         _t("改派给："), labels, 0, False)
        if not ok:
            return
        to = fits[labels.index(label)]["username"]
        self.reassign_to(case["id"], to)

    def reassign_to(self, case_id: str, to: str) -> None:
        self.bg.net(self.ws.reassign, case_id, to, name="reassign",
                    on_result=lambda _r: self._acted(_t("任务 {id} 已改派给 {to}").format(id=case_id, to=to)),
                    on_error=self._refused)

    def set_deadline(self) -> None:
        case = self.current_case()
        if case is None:
            return
        text, ok = QInputDialog.getText(self, _t("任务 {id} 的期限").format(id=case["id"]),
                                        _t("办理期限（YYYY-MM-DD，留空为取消期限）："),
                                        text=case.get("deadline") or "")
        if ok:
            self.deadline_to(case["id"], text.strip() or None)

    def deadline_to(self, case_id: str, deadline: str | None) -> None:
        self.bg.net(self.ws.set_deadline, case_id, deadline, name="deadline",
                    on_result=lambda _r: self._acted(_t("任务 {id} 的期限已保存").format(id=case_id)),
                    on_error=self._refused)

    def _acted(self, message: str) -> None:
        self.sig_status.emit(message)
        self._load_cases()
        self.refresh()

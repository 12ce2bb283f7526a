"""The shell: translations, fonts, settings-driven startup, error messages and the excepthook."""

from __future__ import annotations

import logging
import sys

import pytest
import requests
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from client.paths import Settings
from ui import app as ui_app
from ui import errors, i18n, messages


@pytest.fixture
def restore_language(qapp):
    yield
    i18n.install_translators(qapp, "zh_CN")


def test_chinese_by_default_with_qt_strings_translated(qapp, tmp_path, restore_language):
    s = Settings.load(tmp_path / "s.json")
    ui_app.create_application(s)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    assert QCoreApplication.translate("messages", messages.TEMPLATES["offline"]).startswith("无法连接")


def test_english_selectable(qapp, tmp_path, restore_language):
    s = Settings.load(tmp_path / "s.json")
    s.set("language", "en")
    ui_app.create_application(s)
    text = messages.render("offline")
    assert text.startswith("Cannot reach the server"), text
    i18n.install_translators(qapp, "zh_CN")
    assert messages.render("offline").startswith("无法连接服务器")


def test_unknown_language_falls_back_to_chinese(qapp, restore_language):
    assert i18n.install_translators(qapp, "xx") == "zh_CN"


def test_large_font_mode(qapp):
    normal = ui_app.apply_fonts(qapp, False).pointSizeF()
    large = ui_app.apply_fonts(qapp, True, 1.5).pointSizeF()
    assert large == pytest.approx(normal * 1.5)
    assert ui_app.apply_fonts(qapp, True, 99).pointSizeF() <= normal * 3  # clamped
    ui_app.apply_fonts(qapp, False)


def test_cjk_font_available():
    assert ui_app.pick_cjk_family() is not None  # fonts-wqy-microhei on Linux


def test_render_params_and_fallbacks(qapp):
    assert "503" in messages.render("server_error", {"status_code": 503})
    assert "？" in messages.render("server_error", {})  # a missing param never crashes
    assert messages.render("SOME_RULE", {}, "出生日期与证号不符") == "出生日期与证号不符"
    assert messages.render("SOME_RULE") == "SOME_RULE"
    assert messages.finding_text({"code": "X", "message": "姓名为空"}) == "姓名为空"


@pytest.mark.parametrize("exc, code", [
    (requests.exceptions.ConnectionError("HTTPSConnectionPool(host=...)"), "offline"),
    (requests.exceptions.ConnectTimeout(), "offline"),
    (requests.exceptions.ReadTimeout(), "timeout"),
    (requests.exceptions.SSLError("CERTIFICATE_VERIFY_FAILED"), "certificate"),
    (ConnectionRefusedError(), "offline"),
    (ZeroDivisionError(), "unexpected"),
])
def test_describe_uses_plain_words(qapp, exc, code):
    msg = errors.describe(exc)
    assert msg.code == code
    assert "Error" not in msg.text and "Pool" not in msg.text


def test_describe_http_status(qapp):
    for status, code in ((401, "auth_expired"), (503, "server_busy"), (500, "server_error")):
        r = requests.Response()
        r.status_code = status
        assert errors.describe(requests.exceptions.HTTPError(response=r)).code == code


def test_exception_with_message_code(qapp):
    from sync.client.errors import ClientTooOld  # a typed error: its code picks the words
    assert "版本过旧" in errors.describe(ClientTooOld("426 from the server")).text


def test_excepthook_logs_and_shows(qapp, caplog):
    try:
        raise LookupError("secret internals")
    except LookupError:
        exc_info = sys.exc_info()
    with caplog.at_level(logging.ERROR):
        errors._excepthook(*exc_info)
    box = errors.open_dialogs[-1]
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "意外错误" in box.text() and "secret internals" in box.detailedText()
    assert any(r.exc_info and r.exc_info[0] is LookupError for r in caplog.records)


def test_install_excepthook(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errors.install_excepthook()
    assert sys.excepthook is errors._excepthook


def test_setup_logging_writes_to_log_dir(hecha_home):
    from client.paths import app_paths
    paths = app_paths()
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = ui_app.setup_logging(paths)
        logging.getLogger("hecha.test").warning("hello log")
        for h in root.handlers:
            h.flush()
        assert path.parent == hecha_home / "logs" and "hello log" in path.read_text("utf-8")
    finally:
        for h in root.handlers[:]:
            if h not in before:
                root.removeHandler(h)
                h.close()


def test_every_sync_error_reads_in_plain_words(qapp):
    import inspect

    from sync.client import errors as sync_errors
    classes = [c for _, c in inspect.getmembers(sync_errors, inspect.isclass)
               if issubclass(c, sync_errors.SyncError)]
    assert len(classes) > 10
    for cls in classes:
        exc = cls("HTTPSConnectionPool(host='x') detail", username="u1", owner="u2", status=502)
        msg = errors.describe(exc)
        assert msg.code == cls.code
        assert "HTTPSConnectionPool" not in msg.text and "{" not in msg.text, (cls, msg.text)
        assert cls.code in messages.TEMPLATES, f"no wording for {cls.code}"


def test_pseudo_locale_stretches_text_but_keeps_placeholders(qapp, restore_language):
    assert i18n.install_translators(qapp, "pseudo") == "pseudo"
    text = QCoreApplication.translate("", "共 {n} 条 · 已选 {s}")
    assert len(text) > len("共 {n} 条 · 已选 {s}") and text.format(n=3, s=1)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_every_refusal_of_the_services_layer_reads_in_the_workers_language(qapp):
    """Issue 14.7: one base error class (sync errors and the services layer's refusals are
    HechaErrors, the refusals are not sync errors); the core gives a code with params and the
    UI words each one, in Chinese and English."""
    from client.errors import HechaError
    from client.workspace.errors import REFUSALS, ActionNotAllowed, TaskNotFound
    from sync.client import errors as sync_errors
    from ui import i18n
    assert issubclass(sync_errors.SyncError, HechaError)
    assert not issubclass(ActionNotAllowed, sync_errors.SyncError)
    assert not issubclass(TaskNotFound, sync_errors.SyncError)
    params = {"task_id": "E-1", "fields": "姓名", "household_id": "H-1", "person_id": "P-1"}
    for refusal in REFUSALS:
        exc = ActionNotAllowed(refusal, **params)
        assert exc.code == refusal and "{" not in exc.message  # the command line's words
        msg = errors.describe(exc)
        assert refusal in messages.TEMPLATES, f"no wording for {refusal}"
        assert "{" not in msg.text and msg.code == refusal
    try:
        i18n.install_translators(qapp, "en")
        for refusal in REFUSALS:
            text = errors.describe(ActionNotAllowed(refusal, **params)).text
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in text.replace("姓名", "")), text
    finally:
        i18n.install_translators(qapp, "zh_CN")


def test_every_store_error_reads_in_the_workers_language(qapp, restore_language):
    """The local store's errors are HechaErrors worded once in the catalogue: the UI says what
    happened (disk full, wrong key, busy...), in Chinese and English, not "unexpected error"."""
    import inspect

    from client.store import errors as store_errors
    classes = [c for _, c in inspect.getmembers(store_errors, inspect.isclass)
               if issubclass(c, store_errors.StoreError)]
    assert len(classes) >= 10
    for cls in classes:
        exc = cls(path="/x/store.db", detail="disk I/O error", reason="disk I/O error")
        assert cls.code in messages.TEMPLATES, f"no wording for {cls.code}"
        assert "{" not in exc.message and exc.path == "/x/store.db"
        msg = errors.describe(exc)
        assert msg.code == cls.code and msg.text == exc.message  # Chinese: the catalogue's text
    assert "磁盘空间不足" in errors.describe(store_errors.DiskFullError()).text
    i18n.install_translators(qapp, "en")
    for cls in classes:
        text = errors.describe(cls(reason="disk I/O error")).text
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), text

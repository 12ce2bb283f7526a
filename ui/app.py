"""The desktop application shell: QApplication on the qasync loop, logging, translations, fonts.

`run_gui(options)` is what `hecha` (no subcommand) and `hecha gui` call.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import logging.handlers
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from client import __version__
from client.paths import AppPaths, Settings, app_paths, load_settings
from ui import errors, i18n
from ui.widgets.wheel_guard import install_wheel_guard

log = logging.getLogger("hecha.ui")

STYLE_FILE = Path(__file__).resolve().parents[1] / "resources" / "styles" / "hecha.qss"
# CJK fonts in order of preference: Windows offices, then Linux (fonts-wqy-microhei).
CJK_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
                "Source Han Sans SC", "WenQuanYi Micro Hei", "SimSun")
BASE_POINT_SIZE = 10.0


def setup_logging(paths: AppPaths, level: int = logging.INFO) -> Path:
    """Log to a rotating file under the log dir (the file a worker sends to the admin)."""
    paths.ensure()
    root = logging.getLogger()
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(paths.log_file, maxBytes=2_000_000,
                                                       backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s "
                                               "%(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(level)
    errors.set_log_file(str(paths.log_file))
    return paths.log_file


def create_application(settings: Settings, argv: list[str] | None = None) -> QApplication:
    """The QApplication (reused if one exists, as under pytest-qt), configured from settings."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Fractional scaling (125 %, 150 % on office laptops) without rounding blur.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    QCoreApplication.setApplicationName("hecha")
    QCoreApplication.setApplicationVersion(__version__)
    QGuiApplication.setApplicationDisplayName(
        QCoreApplication.translate("app", "核查工作台"))
    i18n.install_translators(app, settings.get("language"))
    apply_fonts(app, settings.get("large_font"), settings.get("font_scale"))
    apply_style(app)
    install_wheel_guard(app)
    return app


def pick_cjk_family() -> str | None:
    families = set(QFontDatabase.families())
    return next((f for f in CJK_FAMILIES if f in families), None)


def apply_fonts(app: QApplication, large: bool, scale: float = 1.35) -> QFont:
    """Set the application font; large mode scales it for projectors and older eyes."""
    font = QFont(app.font())
    family = pick_cjk_family()
    if family:
        font.setFamily(family)
    size = BASE_POINT_SIZE * (max(1.0, min(scale, 3.0)) if large else 1.0)
    font.setPointSizeF(size)
    app.setFont(font)
    app.setProperty("large_font", bool(large))
    if app.styleSheet():
        # With a style sheet Qt does not push a new application font to existing widgets;
        # setting the sheet again re-polishes every widget with the new font.
        app.setStyleSheet(app.styleSheet())
    return font


def apply_style(app: QApplication) -> None:
    try:
        app.setStyleSheet(STYLE_FILE.read_text(encoding="utf-8"))
    except OSError as exc:  # a missing style sheet must not stop the app
        log.warning("style sheet not loaded: %s", exc)


def run_gui(options: argparse.Namespace) -> int:
    """Start the GUI: login, then the main window; returns the exit code."""
    import qasync

    paths = app_paths().ensure()
    setup_logging(paths)
    settings = load_settings(paths)
    if options.language:
        settings.set("language", options.language)
    if options.large_font:
        settings.set("large_font", True)
    app = create_application(settings)
    errors.install_excepthook()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    from ui.background import Background
    from ui.session import Session

    bg = Background()
    session = Session(paths, settings, bg, server_url=options.server or None,
                      username=options.username or None)
    quit_event = asyncio.Event()
    app.aboutToQuit.connect(quit_event.set)
    session.start()
    log.info("hecha %s GUI started (paths: %s)", __version__, paths.mode)
    print("hecha gui ready", flush=True)  # what a smoke test of a packaged build waits for
    quit_after = options.quit_after
    if quit_after is not None:
        from PySide6.QtCore import QTimer
        QTimer.singleShot(int(quit_after * 1000), app.quit)
    with loop:
        loop.run_until_complete(quit_event.wait())
    session.shutdown()
    bg.shutdown(wait=True)
    settings.save()
    return 0

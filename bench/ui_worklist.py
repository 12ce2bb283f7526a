"""Worklist speed with 100,000 cases in a real encrypted store, offscreen Qt.

Measures: time until the first rows show (query to painted first row), time per filter keystroke
(query to new rows, median and p95) next to the bare SQL id query of the same text (same-run
baseline: what the UI adds on top of the database), and resident memory.
    python bench/ui_worklist.py [--cases 100000]
Last line: one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰红梅鑫波斌宇浩凯健俊帆帅旭宁龙林欣佳雪慧婷晨"


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def make_records(n: int, seed: int = 7):
    from client.domain.divisions import division_tree
    from client.domain.idnumber import make_id_number
    rng = random.Random(seed)
    villages = [v.code12 for v in division_tree().villages_of("610424")]
    kinds = ["error"] * 8 + ["birth", "duplicates"]
    for i in range(1, n + 1):
        kind = rng.choice(kinds)
        birth = date(1940, 1, 1) + timedelta(days=rng.randrange(80 * 365))
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        place = rng.choice(villages)
        person = {"person_id": f"P-{i}", "name": name, "sex": str(rng.choice((1, 2))),
                  "birth_date": birth.isoformat(),
                  "id_number": make_id_number("610424", birth, rng.randrange(1, 999)),
                  "hukou_place": place, "residence_place": place}
        if kind == "error":
            data = {"person": person, "household": [], "status": "open", "findings": [
                {"code": "ID_CHECKSUM", "severity": "E", "fields": ["id_number"],
                 "message": "身份证号码校验位不对", "params": {}}]}
            cid = f"E-{i}"
        elif kind == "birth":
            data = {"certificate": {"cert_number": f"X{i:09d}"}, "proposed": person,
                    "mother": None, "father": None, "households": [], "matches": [],
                    "status": "open"}
            cid = f"B-{i}"
        else:
            data = {"members": [person, dict(person, person_id=f"P-{i}b")],
                    "reasons": [{"code": "SAME_ID", "message": "身份证号相同"}], "status": "open"}
            cid = f"D-{i}"
        yield {"type": kind, "id": cid, "version": 1, "data": data}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()


    from client.paths import Settings
    from client.store import new_key, open_store, upsert_shadows
    from client.worklist import WorkQuery, task_ids
    from ui import app as ui_app
    from ui.background import Background
    from ui.worklist_view import WorklistView

    tmp = Path(tempfile.mkdtemp(prefix="hecha-bench-"))
    rss_start = rss_mb()
    store = open_store(tmp / "bench.db", new_key())
    t0 = time.perf_counter()
    batch = []
    for rec in make_records(args.cases):
        batch.append(rec)
        if len(batch) == 5000:
            with store.write() as s:
                upsert_shadows(s, batch)
            batch.clear()
    if batch:
        with store.write() as s:
            upsert_shadows(s, batch)
    load_s = time.perf_counter() - t0
    print(f"loaded {args.cases} cases in {load_s:.1f} s")
    ws = SimpleNamespace(store=store)

    app = ui_app.create_application(Settings(tmp / "s.json"))
    bg = Background()
    view = WorklistView(bg, ws)
    view.resize(1200, 700)
    view.show()
    app.processEvents()

    from PySide6.QtCore import QEventLoop, QTimer

    model = view.model

    def wait(cond, timeout=60.0):
        # Sleep in Qt's event loop (as the real app does) instead of spinning: a busy UI thread
        # would compete with the database thread for the GIL and distort the figures.
        end = time.perf_counter() + timeout
        while not cond():
            if time.perf_counter() > end:
                raise SystemExit("bench: timed out")
            loop = QEventLoop()
            sigs = (model.sig_loaded, model.sig_first_rows, model.dataChanged)
            for sig in sigs:
                sig.connect(loop.quit)
            QTimer.singleShot(20, loop.quit)
            loop.exec()
            for sig in sigs:
                sig.disconnect(loop.quit)

    model = view.model
    first_row_shown = lambda: model.rowCount() > 0 and model.index(0, 2).data() not in (None, "…")  # noqa: E731

    # First rows: the "异常数据 · 待处理" list as the navigation opens it.
    t0 = time.perf_counter()
    view.show_list("error", WorkQuery(kind="error", states=("open",)))
    wait(lambda: model.query.kind == "error" and first_row_shown())
    view.table.viewport().repaint()
    first_rows_s = time.perf_counter() - t0
    wait(lambda: not model.loading)
    all_ids_s = time.perf_counter() - t0
    total = model.rowCount()
    print(f"first rows shown after {first_rows_s * 1000:.0f} ms; all {total} ids after "
          f"{all_ids_s * 1000:.0f} ms")

    # Filter keystrokes: the text as the worker types it, one query per keystroke (the debounce
    # is deliberately bypassed: it only adds waiting, not work).
    typing = ["王", "王伟", "张", "张秀", "l", "li", "lin", "z", "zh", "zx", "6", "61", "6104",
              "610424", "6104241990", "1234", "刘", "刘芳", "w", "wj"]
    ui_ms, all_ms, sql_ms = [], [], []
    for text in typing:
        q = WorkQuery(kind="error", states=("open",), text=text)
        t0 = time.perf_counter()
        task_ids(ws, q)
        sql_ms.append((time.perf_counter() - t0) * 1000)
        view.search.blockSignals(True)
        view.search.setText(text)
        view.search.blockSignals(False)
        t0 = time.perf_counter()
        view.apply_filters()
        wait(lambda: model.query.text == text and (
            (not model.loading and model.rowCount() == 0) or first_row_shown()))
        view.table.viewport().repaint()
        ui_ms.append((time.perf_counter() - t0) * 1000)
        wait(lambda: not model.loading)
        all_ms.append((time.perf_counter() - t0) * 1000)

    # Scrolling to the end loads rows on demand.
    t0 = time.perf_counter()
    view.search.setText("")
    view.apply_filters()
    wait(lambda: not model.loading and model.query.text == "")
    view.table.scrollToBottom()
    last = model.rowCount() - 1
    wait(lambda: model.index(last, 2).data() not in (None, "…"))
    scroll_ms = (time.perf_counter() - t0) * 1000

    # Sorting by each column with an arrow (query to first rows, and to all ids): coded
    # columns (村, 性别, 问题, 状态) sort by their words through the display order.
    from PySide6.QtCore import Qt
    from ui.worklist_model import COLUMNS
    sort_ms: dict[str, tuple[float, float]] = {}
    for column, (key, _label) in enumerate(COLUMNS):
        for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
            t0 = time.perf_counter()
            model.sort(column, order)
            descending = order == Qt.SortOrder.DescendingOrder
            wait(lambda: model.query.sort == key and model.query.descending == descending
                 and first_row_shown())
            view.table.viewport().repaint()
            first = (time.perf_counter() - t0) * 1000
            wait(lambda: not model.loading)
            sort_ms[f"{key}{' desc' if descending else ''}"] = (first, (time.perf_counter() - t0) * 1000)

    def p95(xs):
        return sorted(xs)[max(0, int(round(0.95 * len(xs))) - 1)]

    figures = {
        "cases": args.cases, "listed": total,
        "first_rows_ms": round(first_rows_s * 1000, 1),
        "all_ids_ms": round(all_ids_s * 1000, 1),
        "filter_ms_median": round(statistics.median(ui_ms), 1),
        "filter_ms_p95": round(p95(ui_ms), 1),
        "filter_all_ids_ms_median": round(statistics.median(all_ms), 1),
        "filter_all_ids_ms_p95": round(p95(all_ms), 1),
        "sql_ids_ms_median": round(statistics.median(sql_ms), 1),
        "sql_ids_ms_p95": round(p95(sql_ms), 1),
        "scroll_to_end_ms": round(scroll_ms, 1),
        "rss_mb": round(rss_mb(), 1), "rss_start_mb": round(rss_start, 1),
        "store_load_s": round(load_s, 1),
        "sort_first_rows_ms_max": round(max(f for f, _ in sort_ms.values()), 1),
        "sort_all_ids_ms_max": round(max(a for _, a in sort_ms.values()), 1),
        "targets": {"first_rows_ms": 500, "filter_ms_p95": 100, "rss_mb": 400},
    }
    for key, (first, every) in sort_ms.items():
        print(f"  sort {key:16} first rows {first:7.1f} ms  all ids {every:7.1f} ms")
    for text, u, a, s in zip(typing, ui_ms, all_ms, sql_ms):
        print(f"  filter {text!r:14} first rows {u:7.1f} ms  all ids {a:7.1f} ms  "
              f"bare SQL ids {s:7.1f} ms")
    print(f"filter per keystroke (to first rows): median {figures['filter_ms_median']} ms, p95 "
          f"{figures['filter_ms_p95']} ms (bare SQL: median {figures['sql_ids_ms_median']} ms, "
          f"p95 {figures['sql_ids_ms_p95']} ms)")
    print(f"resident memory {figures['rss_mb']} MB")
    view.close()
    bg.shutdown(wait=True)
    store.close()
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

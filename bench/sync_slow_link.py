"""Sync over the design link: the real client (Workspace) and the reference server, through the
fault proxy shaped to 2 Mbit/s and 300 ms round trip. Bootstrap N cases (default 50,000), then
push 1,000 edits. Prints time, bytes, requests and the ratio to the link bound
(bytes / bandwidth + the fewest round trips the protocol needs x RTT; target <= 1.5x), next to a
same-run baseline: the same work on the unshaped loopback (client + server compute alone).
The last line is one JSON object.

    python bench/sync_slow_link.py [--cases 50000] [--edits 1000] [--mbit 2] [--rtt-ms 300]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import keyring  # noqa: E402
from keyring.backends import null  # noqa: E402

from client.domain.idnumber import id_check_char  # noqa: E402
from client.workspace import Workspace  # noqa: E402
from sync.protocol import DEFAULT_MAX_BYTES, MAX_OPS_PER_PUSH  # noqa: E402
from sync.server.app import create_app  # noqa: E402
from tests.support.builder import synthetic_dataset  # noqa: E402
from sync.server.config import ServerConfig  # noqa: E402
from sync.server.dataset import load_dataset  # noqa: E402
from tests.support.fault_proxy import FaultProxy  # noqa: E402

PAGE_LIMIT = 5000  # let max_bytes (256 KB compressed) bound the pages, as the protocol intends


def edit_cases(ws: Workspace, n: int) -> float:
    t0 = time.perf_counter()
    done = 0
    for view in ws.tasks(kind="error", status="open", limit=n):
        number = view.data["person"]["id_number"]
        ws.fix_error(view.id, {"id_number": number[:17] + id_check_char(number[:17])})
        done += 1
    assert done == n, done
    return time.perf_counter() - t0


def run(url_of, proxy: FaultProxy | None, data_dir: Path, edits: int) -> dict:
    """Login + bootstrap, then `edits` local edits and one sync that pushes them."""
    if proxy is not None:
        proxy.reset_stats()
    t0 = time.perf_counter()
    ws = Workspace.login(data_dir, url_of, "worker0", "bench-pw", page_limit=PAGE_LIMIT,
                         key_cost={"n": 2 ** 14})
    boot = ws.sync()
    boot_s = time.perf_counter() - t0
    boot_stats = proxy.stats() if proxy else {}
    if proxy is not None:
        boot_stats["pages"] = sum(1 for e in proxy.events if e.path.startswith("/v1/sync/bootstrap"))
    boot_tx = ws.transport.stats.as_dict()  # login + bootstrap
    local_s = edit_cases(ws, edits)
    if proxy is not None:
        proxy.reset_stats()
    before = ws.transport.stats.as_dict()
    t0 = time.perf_counter()
    push = ws.sync()
    push_s = time.perf_counter() - t0
    push_stats = proxy.stats() if proxy else {}
    after = ws.transport.stats.as_dict()
    assert push.pushed == edits and ws.pending_count() == 0, push
    assert boot.digest_ok and push.digest_ok
    ws.close()
    return {"boot_s": boot_s, "boot": boot_stats, "boot_cases": boot.pulled,
            "boot_http_s": boot_tx["seconds"], "push_http_s": after["seconds"] - before["seconds"],
            "boot_requests": boot_tx["requests"], "boot_body_bytes": boot_tx["bytes_received"],
            "local_edit_s": local_s, "push_s": push_s, "push": push_stats,
            "push_requests": after["requests"] - before["requests"],
            "push_body_bytes_down": after["bytes_received"] - before["bytes_received"],
            "push_body_bytes_up": after["bytes_sent"] - before["bytes_sent"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=50_000)
    ap.add_argument("--edits", type=int, default=1000)
    ap.add_argument("--mbit", type=float, default=2.0)
    ap.add_argument("--rtt-ms", type=float, default=300.0)
    ap.add_argument("--loss", type=float, default=0.0,
                    help="packet loss per 1460-byte segment (e.g. 0.015 for a lossy VPN)")
    args = ap.parse_args()
    bandwidth = args.mbit * 1_000_000 / 8
    rtt = args.rtt_ms / 1000
    keyring.set_keyring(null.Keyring())  # never touch the real keyring from a bench

    tmp = Path(tempfile.mkdtemp(prefix="hecha-bench-"))
    t0 = time.perf_counter()
    ds = synthetic_dataset(args.cases)
    app = create_app(ServerConfig(db_url=f"sqlite:///{tmp / 'server.db'}", kdf_n=2 ** 12))
    load_dataset(app.state.hecha.store, ds, snapshot=False)
    app.state.hecha.store.close()
    print(f"setup: {args.cases} cases loaded in {time.perf_counter() - t0:.0f} s", flush=True)
    # The server runs in its own process, as it would on its own machine (no shared GIL).
    proc = subprocess.Popen([sys.executable, "-m", "client", "server", "--db",
                             str(tmp / "server.db"), "--port", "0"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        for line in proc.stdout:
            m = re.search(r"(http://127\.0\.0\.1:\d+)", line)
            if m:
                url = m.group(1)
                break
        assert url, "server did not start"
        # Same-run baseline: unshaped loopback, so only client + server compute remain.
        base = run(url, None, tmp / "client-direct", args.edits)
        print(f"baseline (loopback, no shaping): bootstrap {base['boot_s']:.1f} s "
              f"(in HTTP {base['boot_http_s']:.1f} s), {args.edits} edits locally "
              f"{base['local_edit_s']:.1f} s, push+pull {base['push_s']:.1f} s "
              f"(in HTTP {base['push_http_s']:.1f} s)", flush=True)
        # The baseline run completed `edits` cases; the shaped run bootstraps the rest.
        with FaultProxy(url, bandwidth=bandwidth, rtt=rtt, loss=args.loss, seed=1) as proxy:
            shaped = run(proxy.url, proxy, tmp / "client-shaped", args.edits)
    finally:
        proc.terminate()
        proc.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)

    b = shaped["boot"]
    boot_wire = b["bytes_up"] + b["bytes_down"]
    boot_pages = b["pages"]
    min_pages = max(1, math.ceil(shaped["boot_body_bytes"] / DEFAULT_MAX_BYTES))
    # login (1) + TCP handshake (1) + one round trip per 256 KB page
    boot_rtts = 2 + min_pages
    boot_bound = boot_wire / bandwidth + boot_rtts * rtt
    p = shaped["push"]
    push_wire = p["bytes_up"] + p["bytes_down"]
    push_rtts = math.ceil(args.edits / MAX_OPS_PER_PUSH) + max(
        1, math.ceil(shaped["push_body_bytes_down"] / DEFAULT_MAX_BYTES / 2)) + 1
    push_bound = push_wire / bandwidth + push_rtts * rtt
    out = {
        "bench": "sync_slow_link", "cases": args.cases, "edits": args.edits,
        "link_mbit": args.mbit, "rtt_ms": args.rtt_ms, "loss": args.loss,
        "bootstrap_s": round(shaped["boot_s"], 2), "bootstrap_bytes": boot_wire,
        "bootstrap_requests": b["requests"], "bootstrap_pages": boot_pages,
        "bootstrap_bound_s": round(boot_bound, 2),
        "bootstrap_ratio": round(shaped["boot_s"] / boot_bound, 3),
        "push_s": round(shaped["push_s"], 2), "push_bytes": push_wire,
        "push_requests": p["requests"], "push_bound_s": round(push_bound, 2),
        "push_ratio": round(shaped["push_s"] / push_bound, 3),
        "local_edits_s": round(shaped["local_edit_s"], 2),
        "baseline_loopback_bootstrap_s": round(base["boot_s"], 2),
        "baseline_loopback_bootstrap_http_s": round(base["boot_http_s"], 2),
        "baseline_loopback_push_s": round(base["push_s"], 2),
        "baseline_loopback_push_http_s": round(base["push_http_s"], 2),
        # The server's own time cannot overlap the link for sequential pages and batches:
        # bound + server time on loopback is what a perfect client could reach here.
        "bootstrap_ratio_vs_bound_plus_server": round(
            shaped["boot_s"] / (boot_bound + base["boot_http_s"]), 3),
        "push_ratio_vs_bound_plus_server": round(
            shaped["push_s"] / (push_bound + base["push_http_s"]), 3),
    }
    print(f"bootstrap over {args.mbit:g} Mbit/s, {args.rtt_ms:.0f} ms RTT: {shaped['boot_s']:.1f} s, "
          f"{boot_wire:,} bytes, {b['requests']} requests ({boot_pages} pages); link bound "
          f"{boot_bound:.1f} s ({boot_rtts} round trips) -> ratio {out['bootstrap_ratio']:.2f}")
    print(f"push of {args.edits} edits (+ pull of the results): {shaped['push_s']:.1f} s, "
          f"{push_wire:,} bytes, {p['requests']} requests; link bound {push_bound:.1f} s "
          f"({push_rtts} round trips) -> ratio {out['push_ratio']:.2f}")
    print(f"with the server's own time (loopback HTTP time) added to the bound: bootstrap "
          f"{out['bootstrap_ratio_vs_bound_plus_server']:.2f}x, push "
          f"{out['push_ratio_vs_bound_plus_server']:.2f}x")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

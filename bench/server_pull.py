"""Bootstrap N cases (default 50,000) from the reference server through real HTTP on loopback.

Prints time, bytes on the wire, compressed bytes per case and requests made, next to same-run
baselines: the server-side floor (read + serialize + gzip the same records in-process, no HTTP) and
what the measured bytes and requests cost on the design link (2 Mbit/s and ~40 KB/s lossy, 300 ms RTT).
The last line is one JSON object.

    python bench/server_pull.py [--cases 50000] [--max-bytes 262144] [--db PATH]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from sqlalchemy import select  # noqa: E402

from sync.protocol import compute_scope_digest  # noqa: E402
from sync.server import schema as t  # noqa: E402
from sync.server.app import create_app  # noqa: E402
from tests.support.builder import synthetic_dataset  # noqa: E402
from sync.server.config import ServerConfig  # noqa: E402
from sync.server.dataset import load_dataset  # noqa: E402
from sync.server.runner import ServerThread  # noqa: E402

RTT = 0.300
LINK_2MBIT = 2_000_000 / 8
LINK_LOSSY = 40_000


def header_bytes(resp: requests.Response) -> int:
    # status line + headers as they were on the wire (approximately: HTTP/1.1 framing)
    return len(f"HTTP/1.1 {resp.status_code} {resp.reason}\r\n") + sum(
        len(k) + len(v) + 4 for k, v in resp.raw.headers.items()) + 2


def request_bytes(prepared) -> int:
    line = f"{prepared.method} {prepared.path_url} HTTP/1.1\r\n"
    return len(line) + sum(len(k) + len(v) + 4 for k, v in prepared.headers.items()) + 2 + len(prepared.body or b"")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=50_000)
    ap.add_argument("--max-bytes", type=int, default=256 * 1024)
    ap.add_argument("--limit", type=int, default=5000, help="records per page at most")
    ap.add_argument("--db", default=None, help="SQLite file (default: a temporary one)")
    ap.add_argument("--demo", type=int, default=0, metavar="PEOPLE",
                    help="use the realistic demo county of PEOPLE persons instead (all its cases)")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    db = args.db or str(Path(tmp.name) / "bench.db")
    t0 = time.perf_counter()
    if args.demo:
        from sync.server.seed import generate_demo
        ds = generate_demo(people=args.demo)
        for case in ds.cases:          # one worker holds every case, as in synthetic mode
            case["assigned_to"] = "worker0"
        ds.accounts.append({"username": "worker0", "password": "bench-pw", "role": "county",
                            "jurisdiction": ds.county_code, "display_name": "bench"})
        args.cases = len(ds.cases)
    else:
        ds = synthetic_dataset(args.cases)
    config = ServerConfig(db_url=f"sqlite:///{db}", kdf_n=2 ** 12, training=bool(args.demo))  # demo: a trainer
    app = create_app(config)
    store = app.state.hecha.store
    load_dataset(store, ds, snapshot=False)
    setup_s = time.perf_counter() - t0
    print(f"setup: {args.cases} cases, {len(ds.persons)} persons loaded in {setup_s:.1f} s", flush=True)

    # Baseline 1: the server-side floor, no HTTP: read, serialize and gzip the same records.
    t0 = time.perf_counter()
    with store.read() as conn:
        rows = conn.execute(select(t.cases.c.case_id, t.cases.c.kind, t.cases.c.version, t.cases.c.data)
                            .order_by(t.cases.c.case_id)).all()
    raw = b"[" + b",".join(
        f'{{"type":"{r.kind}","id":"{r.case_id}","version":{r.version},"data":{r.data}}}'.encode()
        for r in rows) + b"]"
    floor_gz = gzip.compress(raw, compresslevel=6)
    floor_s = time.perf_counter() - t0

    with ServerThread(app) as server:
        s = requests.Session()
        login = s.post(server.url + "/v1/auth/token",
                       json={"username": "worker0", "password": "bench-pw", "device_id": "bench"})
        login.raise_for_status()
        s.headers["Authorization"] = "Bearer " + login.json()["access_token"]
        s.headers["Accept-Encoding"] = "gzip"
        wire_body = wire_head = sent = plain = 0
        requests_made = 0
        records: dict[str, int] = {}
        token = None
        t0 = time.perf_counter()
        while True:
            params = {"max_bytes": args.max_bytes, "limit": args.limit}
            if token:
                params["page_token"] = token
            r = s.get(server.url + "/v1/sync/bootstrap", params=params, stream=True)
            body = r.raw.read(decode_content=False)
            requests_made += 1
            r.raise_for_status()
            wire_body += len(body)
            wire_head += header_bytes(r)
            sent += request_bytes(r.request)
            if r.headers.get("Content-Encoding") == "gzip":
                body = zlib.decompress(body, 31)
            plain += len(body)
            page = json.loads(body)
            for rec in page["records"]:
                records[rec["id"]] = rec["version"]
            token = page["next_page_token"]
            if token is None:
                break
        pull_s = time.perf_counter() - t0
        assert len(records) == args.cases, (len(records), args.cases)
        assert page["scope_digest"] == compute_scope_digest(records.items())
    store.close()

    wire = wire_body + wire_head + sent
    link_2m = wire / LINK_2MBIT + requests_made * RTT
    link_lossy = wire / LINK_LOSSY + requests_made * RTT
    floor_link = len(floor_gz) / LINK_LOSSY + RTT
    print(f"bootstrap over HTTP: {pull_s:.2f} s for {len(records)} cases in {requests_made} requests "
          f"({len(records) / pull_s:,.0f} cases/s)")
    print(f"  bytes on the wire: {wire:,} (bodies {wire_body:,} gzip, headers {wire_head:,}, "
          f"requests {sent:,}); uncompressed JSON {plain:,}")
    print(f"  compressed bytes per case: {wire_body / len(records):.0f} (body) / {wire / len(records):.0f} "
          f"(all); ratio {plain / wire_body:.1f}x")
    print(f"baseline, same run: in-process read+serialize+gzip of the same records: {floor_s:.2f} s, "
          f"{len(floor_gz):,} bytes ({len(floor_gz) / len(records):.0f} B/case, one gzip stream)")
    print(f"  paging overhead vs one stream: {wire / len(floor_gz) - 1:+.1%} bytes")
    print(f"on the design link (measured bytes + {requests_made} x {RTT * 1000:.0f} ms RTT): "
          f"2 Mbit/s {link_2m:.0f} s, lossy 40 KB/s {link_lossy:.0f} s "
          f"(floor for one gzip stream at 40 KB/s: {floor_link:.0f} s)")
    print(json.dumps({
        "bench": "server_pull", "data": f"demo({args.demo})" if args.demo else "synthetic",
        "cases": len(records), "persons": len(ds.persons),
        "setup_s": round(setup_s, 1), "pull_s": round(pull_s, 3), "requests": requests_made,
        "wire_bytes": wire, "body_bytes_gzip": wire_body, "header_bytes": wire_head + sent,
        "json_bytes": plain, "bytes_per_case_gzip": round(wire_body / len(records), 1),
        "wire_bytes_per_case": round(wire / len(records), 1),
        "baseline_inprocess_s": round(floor_s, 3), "baseline_single_gzip_bytes": len(floor_gz),
        "link_2mbit_s": round(link_2m, 1), "link_40kBps_s": round(link_lossy, 1),
        "max_bytes": args.max_bytes}))
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())

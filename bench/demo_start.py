"""Start-up of training mode, each figure next to a same-run baseline.

- baseline: a bare interpreter (`python -c pass`) and `hecha --version` (CLI parser, no Qt/server);
- `hecha demo --headless` first run (generate + load the county, log in, first sync) and second
  run (data reused), at the given population;
- `hecha demo --check` (offscreen window: first window, main window, first sync), temporary data;
- optionally the frozen build's `hecha-console --version` and `demo --check` (--frozen DIR).
Usage: python bench/demo_start.py [--people 30000] [--frozen dist/hecha-0.1.0]
(prints figures, then one JSON object on the last line)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(cmd: list[str], env: dict | None = None) -> tuple[float, str]:
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    elapsed = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr[-2000:]}")
    return elapsed, r.stdout


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=30000)
    ap.add_argument("--frozen", help="a built dist/hecha-<version> folder")
    opts = ap.parse_args()
    out: dict = {"people": opts.people}
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, HECHA_HOME=home, QT_QPA_PLATFORM="offscreen")
        out["python_bare_s"] = round(run([sys.executable, "-c", "pass"], env)[0], 3)
        out["hecha_version_s"] = round(run([sys.executable, "-m", "client", "--version"], env)[0], 3)
        py = [sys.executable, "-m", "client", "demo"]
        t, text = run(py + ["--headless", "--json", "--people", str(opts.people)], env)
        out["headless_first_s"] = round(t, 3)
        out["headless_first_parts"] = json.loads(text.strip().splitlines()[-1])["seconds"]
        t, text = run(py + ["--headless", "--json", "--people", str(opts.people)], env)
        out["headless_again_s"] = round(t, 3)
        out["headless_again_parts"] = json.loads(text.strip().splitlines()[-1])["seconds"]
        t, text = run(py + ["--check", "--json"], env)
        out["check_s"] = round(t, 3)
        out["check_parts"] = json.loads(text.strip().splitlines()[-1])["seconds"]
        if opts.frozen:
            exe = str(Path(opts.frozen) / ("hecha-console.exe" if os.name == "nt" else "hecha-console"))
            out["frozen_version_s"] = round(run([exe, "--version"], env)[0], 3)
            t, text = run([exe, "demo", "--check", "--json"], env)
            out["frozen_check_s"] = round(t, 3)
            out["frozen_check_parts"] = json.loads(text.strip().splitlines()[-1])["seconds"]
    print(f"bare interpreter            {out['python_bare_s']:.2f} s   (baseline)")
    print(f"hecha --version             {out['hecha_version_s']:.2f} s")
    print(f"demo --headless, first run  {out['headless_first_s']:.2f} s   {out['headless_first_parts']}")
    print(f"demo --headless, again      {out['headless_again_s']:.2f} s   {out['headless_again_parts']}")
    print(f"demo --check (2000 people)  {out['check_s']:.2f} s   {out['check_parts']}")
    if opts.frozen:
        print(f"frozen --version            {out['frozen_version_s']:.2f} s")
        print(f"frozen demo --check         {out['frozen_check_s']:.2f} s   {out['frozen_check_parts']}")
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()

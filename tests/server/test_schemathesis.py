"""Schemathesis against /openapi.json of the live server: no 5xx, responses match the schema."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ST = shutil.which("st") or str(Path(sys.executable).with_name("st"))


@pytest.mark.slow
@pytest.mark.skipif(not Path(ST).exists(), reason="schemathesis is not installed")
def test_openapi_contract_holds_under_generated_requests(live_server, tmp_path):
    admin = live_server.client("admin")
    cmd = [ST, "run", live_server.url + "/openapi.json",
           "-H", f"Authorization: Bearer {admin.access_token}",
           "--checks", "not_a_server_error,response_schema_conformance,content_type_conformance,"
                       "status_code_conformance",
           # the fault hook answers 503 on purpose; never let generated data switch it on
           "--exclude-path-regex", "^/v1/admin/faults",
           # bounded by example counts (about a minute); --max-time can cut schemathesis mid-case
           "--phases", "coverage,fuzzing", "-n", "20", "--generation-deterministic",
           # one worker: CPython 3.11.7 races on the AST recursion depth when two threads parse
           # (gh-106905, "AST constructor recursion depth mismatch" inside schemathesis)
           "-w", "1", "--warnings", "off"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=240, cwd=tmp_path)
    assert out.returncode == 0, out.stdout[-8000:] + out.stderr[-2000:]
    assert "21 selected" in out.stdout or "selected" in out.stdout

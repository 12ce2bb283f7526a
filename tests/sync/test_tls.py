"""TLS: a province's own CA bundle makes its server trusted; without it the certificate problem
is reported as such (never silently accepted), and verification cannot be switched off."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading

import pytest

from sync.client import errors as E
from sync.client.transport import RetryPolicy, Transport
from tests.support.tiny_http import TinyServer

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")


@pytest.fixture
def tls_server(tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    server = TinyServer()
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    server.httpd.socket = ctx.wrap_socket(server.httpd.socket, server_side=True)
    threading.Thread(target=server.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    yield server.url.replace("http://", "https://"), str(cert)
    server.httpd.shutdown()
    server.httpd.server_close()


def test_province_ca_bundle_is_trusted(tls_server):
    url, ca = tls_server
    t = Transport(url, device_id="d", ca_bundle=ca, retry=RetryPolicy(0.01, 0.05, 2))
    assert t.get("/x", authenticated=False).data == {"path": "/x"}


def test_unknown_certificate_is_a_certificate_error(tls_server):
    url, _ = tls_server
    t = Transport(url, device_id="d", retry=RetryPolicy(0.01, 0.05, 3))
    with pytest.raises(E.CertificateError) as ei:
        t.get("/x", authenticated=False)
    assert "证书" in ei.value.message and t.stats.attempts == 1

"""The server over TLS (--tls-cert/--tls-key) and with client certificates (--client-ca): the
certificate is the second factor and must be the account's (issue 11). Certificates are made in the
test with trustme; everything runs on loopback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests
import trustme
from sqlalchemy import update

from sync.server import schema as t
from sync.server.tls import TlsSettings, fingerprint

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pki(tmp_path):
    """A server certificate for 127.0.0.1 and a CA issuing workers' certificates (CN = username)."""
    server_ca, client_ca = trustme.CA(), trustme.CA()
    files = {"ca": tmp_path / "server-ca.pem", "cert": tmp_path / "server.pem", "key": tmp_path / "server.key",
             "client_ca": tmp_path / "client-ca.pem"}
    server_ca.cert_pem.write_to_path(str(files["ca"]))
    leaf = server_ca.issue_cert("127.0.0.1")
    leaf.cert_chain_pems[0].write_to_path(str(files["cert"]))
    leaf.private_key_pem.write_to_path(str(files["key"]))
    client_ca.cert_pem.write_to_path(str(files["client_ca"]))

    def person(cn: str) -> tuple[str, str]:
        c = client_ca.issue_cert(f"{cn}.hecha.invalid", common_name=cn)
        cert, key = tmp_path / f"{cn}.pem", tmp_path / f"{cn}.key"
        c.cert_chain_pems[0].write_to_path(str(cert))
        c.private_key_pem.write_to_path(str(key))
        return str(cert), str(key)

    files["person"] = person
    return files


def _login(url, ca, username, password, cert=None):
    return requests.post(url + "/v1/auth/token", json={"username": username, "password": password,
                                                        "device_id": "pc-1"}, verify=str(ca), cert=cert,
                         timeout=30)


def test_https_server(live_server_factory, pki):
    server = live_server_factory(tls=TlsSettings(str(pki["cert"]), str(pki["key"])))
    assert server.url.startswith("https://127.0.0.1:")
    assert _login(server.url, pki["ca"], "alice", "alice-pw").status_code == 200
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(server.url + "/v1/health", timeout=10)     # not trusted without the province CA
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(server.url.replace("https", "http") + "/v1/health", timeout=10)


def test_client_certificate_is_the_second_factor(live_server_factory, pki):
    server = live_server_factory(tls=TlsSettings(str(pki["cert"]), str(pki["key"]), str(pki["client_ca"])),
                                 client_certs=True)
    alice_cert, bob_cert = pki["person"]("alice"), pki["person"]("bob")
    # no certificate: the TLS handshake itself is refused
    with pytest.raises(requests.exceptions.RequestException):
        _login(server.url, pki["ca"], "alice", "alice-pw")
    r = _login(server.url, pki["ca"], "alice", "alice-pw", alice_cert)
    assert r.status_code == 200, r.text
    token = r.json()["access_token"]
    # the right password with somebody else's certificate is refused
    r = _login(server.url, pki["ca"], "bob", "bob-pw", alice_cert)
    assert r.status_code == 401 and r.json()["code"] == "certificate_mismatch"
    # alice's token used from a connection with bob's certificate is refused too
    r = requests.get(server.url + "/v1/sync/manifest", headers={"Authorization": f"Bearer {token}"},
                     verify=str(pki["ca"]), cert=bob_cert, timeout=30)
    assert r.status_code == 401 and r.json()["code"] == "certificate_mismatch"
    # a registered fingerprint maps a certificate to its account, whatever its CN
    der = Path(bob_cert[0]).read_text()
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding
    fp = fingerprint(x509.load_pem_x509_certificate(der.encode()).public_bytes(Encoding.DER))
    with server.store.write() as conn:
        conn.execute(update(t.users).where(t.users.c.username == "carol").values(cert_fingerprint=fp))
    assert _login(server.url, pki["ca"], "carol", "carol-pw", bob_cert).status_code == 200
    assert _login(server.url, pki["ca"], "carol", "carol-pw", alice_cert).status_code == 401


def test_cli_serves_tls_with_client_certificates(tmp_path, pki):
    db = tmp_path / "tls.db"
    alice_cert = pki["person"]("zhou")
    add = subprocess.run([sys.executable, "-m", "client", "server", "adduser", "--db", str(db), "zhou",
                          "--role", "township", "--jurisdiction", "610424001", "--password", "Zh0u-secret",
                          "--cert", alice_cert[0]], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert add.returncode == 0, add.stderr
    proc = subprocess.Popen([sys.executable, "-m", "client", "server", "--db", str(db), "--port", "0",
                             "--tls-cert", str(pki["cert"]), "--tls-key", str(pki["key"]),
                             "--client-ca", str(pki["client_ca"])], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        line = proc.stdout.readline()
        assert "https://127.0.0.1:" in line, line
        url = line.split("：", 1)[1].split()[0]
        r = _login(url, pki["ca"], "zhou", "Zh0u-secret", alice_cert)
        assert r.status_code == 200, r.text
    finally:
        proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()

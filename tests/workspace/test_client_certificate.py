"""The worker's .p12/.pfx certificate at login (issue 11): the app presents it to a server that
requires client certificates; a wrong passphrase is told as such. Certificates made with trustme."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, load_pem_private_key, pkcs12
from cryptography.x509 import load_pem_x509_certificate

from client.workspace import Workspace
from sync.client import errors as E
from sync.client.certs import load_identity
from sync.server.tls import TlsSettings
from tests.server.test_tls_server import pki  # noqa: F401 - the fixture


def _p12(cert_key: tuple[str, str], passphrase: str, out: Path) -> Path:
    cert = load_pem_x509_certificate(Path(cert_key[0]).read_bytes())
    key = load_pem_private_key(Path(cert_key[1]).read_bytes(), None)
    out.write_bytes(pkcs12.serialize_key_and_certificates(b"alice", key, cert, None,
                                                          BestAvailableEncryption(passphrase.encode())))
    return out


def test_login_with_a_p12_certificate(live_server_factory, pki, tmp_path):  # noqa: F811
    server = live_server_factory(tls=TlsSettings(str(pki["cert"]), str(pki["key"]), str(pki["client_ca"])),
                                 client_certs=True)
    p12 = _p12(pki["person"]("alice"), "证书口令1", tmp_path / "alice.p12")
    with pytest.raises(E.CertificateFileError) as err:
        load_identity(p12, "wrong")
    assert "口令" in err.value.message
    ident = load_identity(p12, "证书口令1")
    assert "CN=alice" in ident.subject
    assert b"ENCRYPTED" in Path(ident.key_file).read_bytes()      # never a clear key on disk
    ws = Workspace.login(tmp_path / "data", server.url, "alice", "alice-pw", ca_bundle=str(pki["ca"]),
                         client_cert=ident, key_cost={"n": 2 ** 10})
    try:
        assert ws.sync().bootstrapped
    finally:
        ws.close()
    # without the certificate the server cannot be used at all
    with pytest.raises(E.SyncError):
        Workspace.login(tmp_path / "data", server.url, "alice", "alice-pw", ca_bundle=str(pki["ca"]))
    # bob's certificate does not open alice's account
    bob = load_identity(_p12(pki["person"]("bob"), "pw", tmp_path / "bob.p12"), "pw")
    with pytest.raises(E.CertificateMismatch):
        Workspace.login(tmp_path / "data", server.url, "alice", "alice-pw", ca_bundle=str(pki["ca"]),
                        client_cert=bob)

"""TLS for the server (--tls-cert/--tls-key) and client certificates (--client-ca): the second,
cryptographic factor (CA 身份认证). uvicorn does not hand the peer certificate to the app, so the
HTTP protocol below puts its SHA-256 fingerprint and subject CN into every request's scope state."""

from __future__ import annotations

import hashlib
import ssl
from dataclasses import dataclass
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

PEER_FINGERPRINT = "peer_cert_sha256"
PEER_CN = "peer_cert_cn"


@dataclass
class TlsSettings:
    cert: str
    key: str
    client_ca: str | None = None     # when set, every connection must present a certificate it signed

    def uvicorn_kwargs(self) -> dict[str, Any]:
        kw: dict[str, Any] = {"ssl_certfile": self.cert, "ssl_keyfile": self.key}
        if self.client_ca:
            kw.update(ssl_ca_certs=self.client_ca, ssl_cert_reqs=ssl.CERT_REQUIRED)
        return kw


def fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def _common_name(cert: dict[str, Any]) -> str:
    for rdn in cert.get("subject", ()):
        for key, value in rdn:
            if key == "commonName":
                return str(value)
    return ""


class PeerCertProtocol(H11Protocol):
    """H11 with the client certificate of the TLS connection in scope["state"]."""

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        ssl_object = transport.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        if der:
            # A per-connection copy: the server's app_state dict is shared by every connection.
            self.app_state = {**self.app_state, PEER_FINGERPRINT: fingerprint(der),
                              PEER_CN: _common_name(ssl_object.getpeercert() or {})}

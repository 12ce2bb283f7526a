"""The worker's client certificate (CA 身份认证, the second factor): a .p12/.pfx file and its
passphrase become an SSL context that presents the certificate. The private key never touches the
disk unencrypted: it is re-encrypted under a random password that lives only in this process."""

from __future__ import annotations

import secrets
import ssl
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, Encoding, PrivateFormat, pkcs12

from sync.client import errors as E


@dataclass
class ClientIdentity:
    """A loaded .p12/.pfx: `ssl_context()` for the transport; `subject` to show the worker."""

    source: str
    subject: str
    _dir: tempfile.TemporaryDirectory[str] = field(repr=False)
    _password: bytes = field(repr=False)

    @property
    def cert_file(self) -> str:
        return str(Path(self._dir.name) / "cert.pem")

    @property
    def key_file(self) -> str:
        return str(Path(self._dir.name) / "key.pem")

    def ssl_context(self, ca_bundle: str | None = None) -> ssl.SSLContext:
        ctx = ssl.create_default_context(cafile=ca_bundle)
        ctx.load_cert_chain(self.cert_file, self.key_file, password=self._password)
        return ctx

    def close(self) -> None:
        self._dir.cleanup()


def load_identity(path: str | Path, passphrase: str) -> ClientIdentity:
    """Open a PKCS#12 file; CertificateFileError when it cannot be read or the passphrase is wrong."""
    try:
        data = Path(path).read_bytes()
        key, cert, chain = pkcs12.load_key_and_certificates(data, passphrase.encode("utf-8") or None)
    except (OSError, ValueError) as exc:
        raise E.CertificateFileError(str(exc)[:200]) from None
    if key is None or cert is None:
        raise E.CertificateFileError("no key or certificate in the file")
    password = secrets.token_bytes(24)
    tmp = tempfile.TemporaryDirectory(prefix="hecha-cert-")
    ident = ClientIdentity(str(path), cert.subject.rfc4514_string(), tmp, password)
    pem = cert.public_bytes(Encoding.PEM) + b"".join(c.public_bytes(Encoding.PEM) for c in chain or ())
    Path(ident.cert_file).write_bytes(pem)
    Path(ident.key_file).write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8,
                                                       BestAvailableEncryption(password)))
    return ident

"""Password hashing (scrypt), signed access tokens, opaque refresh tokens and signed cursors."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SCRYPT_R, SCRYPT_P = 8, 1


def _b64e(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, n: int = 2 ** 14) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P,
                            maxmem=256 * 1024 * 1024, dklen=32)
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${_b64e(salt)}${_b64e(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt, digest = stored.split("$")
        if algo != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=_b64d(salt), n=int(n), r=int(r),
                             p=int(p), maxmem=256 * 1024 * 1024, dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, _b64d(digest))


def new_refresh_token() -> str:
    # 24 random bytes -> 32 characters: far below the ~1,280 a Windows credential holds.
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _seal_key(token: str) -> bytes:
    return hashlib.sha256(b"hecha-seal:" + token.encode("utf-8")).digest()


def seal(token: str, text: str) -> str:
    """`text` encrypted (AES-256-GCM) under a key derived from `token`, which is not stored."""
    nonce = secrets.token_bytes(12)
    return _b64e(nonce + AESGCM(_seal_key(token)).encrypt(nonce, text.encode("utf-8"), None))


def open_sealed(token: str, sealed: str) -> str:
    raw = _b64d(sealed)
    return AESGCM(_seal_key(token)).decrypt(raw[:12], raw[12:], None).decode("utf-8")


class Signer:
    """HMAC-signed compact tokens: base64url(json) "." base64url(mac)."""

    def __init__(self, secret: str, purpose: str) -> None:
        self._key = hashlib.sha256(f"{purpose}:{secret}".encode()).digest()

    def sign(self, payload: dict[str, Any]) -> str:
        body = _b64e(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
        mac = hmac.new(self._key, body.encode(), hashlib.sha256).digest()[:16]
        return f"{body}.{_b64e(mac)}"

    def verify(self, token: str) -> dict[str, Any] | None:
        """The payload, or None when the token is malformed or its signature does not match."""
        if not isinstance(token, str) or len(token) > 2048 or token.count(".") != 1:
            return None
        body, mac = token.split(".")
        try:
            want = hmac.new(self._key, body.encode(), hashlib.sha256).digest()[:16]
            if not hmac.compare_digest(want, _b64d(mac)):
                return None
            payload = json.loads(_b64d(body))
        except (ValueError, UnicodeError):
            return None
        return payload if isinstance(payload, dict) else None

"""Per-user store keys and keyring access. The store's random key is wrapped with a key derived
from the user's password (scrypt) in a small JSON file next to the store, so the worker unlocks
offline with the password they use online; the keyring helpers never fail when there is none."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from sync.client.errors import WrongPassword

log = logging.getLogger(__name__)

KEY_BYTES = 32
FORMAT = "hecha-store-key/1"
# scrypt cost: 2**15 * 8 * 128 bytes = 32 MiB and ~0.1 s on an office PC: cheap at login,
# expensive for someone trying passwords against a stolen key file.
DEFAULT_N, DEFAULT_R, DEFAULT_P = 2 ** 15, 8, 1
KEYRING_SERVICE = "hecha"


class KeyFileError(Exception):
    """The key file is missing, unreadable or not ours (not a password problem)."""


@dataclass(frozen=True)
class WrappedKey:
    salt: bytes
    n: int
    r: int
    p: int
    wrapped: bytes
    mac: bytes
    username: str

    def to_json(self) -> str:
        def b64(b: bytes) -> str:
            return base64.b64encode(b).decode("ascii")

        return json.dumps({"format": FORMAT, "kdf": "scrypt", "n": self.n, "r": self.r,
                           "p": self.p, "salt": b64(self.salt), "wrapped": b64(self.wrapped),
                           "mac": b64(self.mac), "username": self.username}, indent=1)

    @classmethod
    def from_json(cls, text: str) -> WrappedKey:
        try:
            d = json.loads(text)
            if d.get("format") != FORMAT or d.get("kdf") != "scrypt":
                raise KeyFileError(f"unknown key file format {d.get('format')!r}")
            dec = base64.b64decode
            return cls(salt=dec(d["salt"]), n=int(d["n"]), r=int(d["r"]), p=int(d["p"]),
                       wrapped=dec(d["wrapped"]), mac=dec(d["mac"]),
                       username=str(d.get("username", "")))
        except KeyFileError:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            raise KeyFileError(f"corrupt key file: {exc}") from exc


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> tuple[bytes, bytes]:
    # 64 bytes: the first half masks the store key, the second half authenticates the file.
    # The salt is fresh for every wrap, so the mask is never reused (a one-time pad keyed by scrypt).
    out = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                         maxmem=256 * r * n + (1 << 20), dklen=64)
    return out[:32], out[32:]


def _mac(mac_key: bytes, salt: bytes, wrapped: bytes, n: int, r: int,
         p: int, username: str) -> bytes:
    msg = b"|".join([FORMAT.encode(), salt, wrapped, str(n).encode(), str(r).encode(),
                     str(p).encode(), username.encode("utf-8")])
    return hmac.new(mac_key, msg, hashlib.sha256).digest()


def wrap_key(key: bytes, password: str, username: str, *, n: int = DEFAULT_N, r: int = DEFAULT_R,
             p: int = DEFAULT_P) -> WrappedKey:
    if len(key) != KEY_BYTES:
        raise ValueError("store keys are 32 bytes")
    salt = secrets.token_bytes(16)
    mask, mac_key = _derive(password, salt, n, r, p)
    wrapped = bytes(a ^ b for a, b in zip(key, mask))
    return WrappedKey(salt, n, r, p, wrapped, _mac(mac_key, salt, wrapped, n, r, p, username),
                      username)


def unwrap_key(w: WrappedKey, password: str) -> bytes:
    mask, mac_key = _derive(password, w.salt, w.n, w.r, w.p)
    expect = _mac(mac_key, w.salt, w.wrapped, w.n, w.r, w.p, w.username)
    if not hmac.compare_digest(expect, w.mac):
        raise WrongPassword("store key does not unwrap with this password")
    return bytes(a ^ b for a, b in zip(w.wrapped, mask))


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    try:
        os.chmod(path, 0o600)
    except OSError:
        pass


def key_exists(path: str | os.PathLike[str]) -> bool:
    return Path(path).is_file()


def create_store_key(path: str | os.PathLike[str], password: str, username: str, **cost: int) -> bytes:
    """Make a new random store key, write it wrapped to `path` and return the raw key."""
    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path} already holds a store key")
    key = secrets.token_bytes(KEY_BYTES)
    _write_atomic(path, wrap_key(key, password, username, **cost).to_json())
    return key


def load_wrapped(path: str | os.PathLike[str]) -> WrappedKey:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise KeyFileError(f"cannot read key file {path}: {exc}") from exc
    return WrappedKey.from_json(text)


def unwrap_store_key(path: str | os.PathLike[str], password: str) -> bytes:
    """The raw store key; raises WrongPassword (typed, Chinese message) for a wrong password."""
    return unwrap_key(load_wrapped(path), password)


def rewrap_store_key(path: str | os.PathLike[str], old_password: str, new_password: str) -> bytes:
    """Re-wrap the existing key with a new password (after a password change online)."""
    w = load_wrapped(path)
    key = unwrap_key(w, old_password)
    _write_atomic(Path(path), wrap_key(key, new_password, w.username, n=w.n, r=w.r,
                                       p=w.p).to_json())
    return key


def sqlcipher_key_hex(key: bytes) -> str:
    """The raw key as 64 hex digits (SQLCipher's `x'...'` raw-key form)."""
    return key.hex()


# -- keyring: best effort; no backend means the worker types the password at each start ------

def _keyring() -> ModuleType | None:
    try:
        import keyring  # noqa: PLC0415 - optional at runtime
        from keyring.backends import fail  # noqa: PLC0415
        if isinstance(keyring.get_keyring(), fail.Keyring):
            return None
        return keyring
    except Exception as exc:  # noqa: BLE001 - any backend problem means "no keyring"
        log.info("no keyring backend: %s", exc)
        return None


def keyring_available() -> bool:
    return _keyring() is not None


def get_secret(name: str, service: str = KEYRING_SERVICE) -> str | None:
    kr = _keyring()
    if kr is None:
        return None
    try:
        secret: str | None = kr.get_password(service, name)
        return secret
    except Exception as exc:  # noqa: BLE001
        log.warning("keyring read failed: %s", exc)
        return None


def set_secret(name: str, value: str, service: str = KEYRING_SERVICE) -> bool:
    """Store a secret; False (and the caller keeps it in memory only) when that is impossible."""
    kr = _keyring()
    if kr is None:
        return False
    try:
        kr.set_password(service, name, value)
        return True
    except Exception as exc:  # noqa: BLE001
        log.warning("keyring write failed: %s", exc)
        return False


def delete_secret(name: str, service: str = KEYRING_SERVICE) -> bool:
    kr = _keyring()
    if kr is None:
        return False
    try:
        kr.delete_password(service, name)
        return True
    except Exception:  # noqa: BLE001 - absent entries and backend errors alike
        return False


def replace_store_key_password(path: str | os.PathLike[str], key: bytes, new_password: str,
                               username: str) -> None:
    """Wrap an already unlocked key with a new password (changed online while unlocked)."""
    w = load_wrapped(path)
    _write_atomic(Path(path), wrap_key(key, new_password, username, n=w.n, r=w.r,
                                       p=w.p).to_json())

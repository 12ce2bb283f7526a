"""Store key wrapping (scrypt) and the keyring helpers with an in-memory backend."""

from __future__ import annotations

import json

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from client import keys
from sync.client.errors import WrongPassword

CHEAP = {"n": 2 ** 10, "r": 8, "p": 1}


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.data = {}

    def get_password(self, service, username):
        return self.data.get((service, username))

    def set_password(self, service, username, password):
        self.data[(service, username)] = password

    def delete_password(self, service, username):
        self.data.pop((service, username), None)


class BrokenKeyring(MemoryKeyring):
    def set_password(self, service, username, password):
        raise keyring.errors.PasswordSetError("locked")

    def get_password(self, service, username):
        raise keyring.errors.KeyringError("locked")


@pytest.fixture
def memory_keyring():
    old = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(old)


def test_create_unwrap_and_wrong_password(tmp_path):
    path = tmp_path / "u" / "store.key.json"
    key = keys.create_store_key(path, "密码Secret1", "alice", **CHEAP)
    assert len(key) == 32
    assert keys.unwrap_store_key(path, "密码Secret1") == key
    with pytest.raises(WrongPassword) as ei:
        keys.unwrap_store_key(path, "wrong")
    assert "密码错误" in ei.value.message
    # the file never holds the key in the clear
    assert key.hex() not in path.read_text() and "alice" in path.read_text()
    with pytest.raises(FileExistsError):
        keys.create_store_key(path, "x", "alice", **CHEAP)


def test_rewrap_after_password_change(tmp_path):
    path = tmp_path / "k.json"
    key = keys.create_store_key(path, "old", "bob", **CHEAP)
    before = json.loads(path.read_text())
    with pytest.raises(WrongPassword):
        keys.rewrap_store_key(path, "not-old", "new")
    assert keys.rewrap_store_key(path, "old", "new") == key
    after = json.loads(path.read_text())
    assert after["salt"] != before["salt"]
    assert keys.unwrap_store_key(path, "new") == key
    with pytest.raises(WrongPassword):
        keys.unwrap_store_key(path, "old")


def test_tampered_or_corrupt_key_file(tmp_path):
    path = tmp_path / "k.json"
    keys.create_store_key(path, "pw", "carol", **CHEAP)
    d = json.loads(path.read_text())
    d["username"] = "mallory"  # authenticated: another user's name cannot be swapped in
    path.write_text(json.dumps(d))
    with pytest.raises(WrongPassword):
        keys.unwrap_store_key(path, "pw")
    path.write_text("{not json")
    with pytest.raises(keys.KeyFileError):
        keys.unwrap_store_key(path, "pw")
    with pytest.raises(keys.KeyFileError):
        keys.unwrap_store_key(tmp_path / "missing.json", "pw")


def test_default_cost_is_real_scrypt(tmp_path):
    path = tmp_path / "k.json"
    keys.create_store_key(path, "pw", "dan")
    assert json.loads(path.read_text())["n"] >= 2 ** 15


def test_keyring_round_trip(memory_keyring):
    assert keys.keyring_available()
    assert keys.set_secret("refresh:alice@srv", "tok")
    assert keys.get_secret("refresh:alice@srv") == "tok"
    assert keys.delete_secret("refresh:alice@srv")
    assert keys.get_secret("refresh:alice@srv") is None


def test_keyring_degrades_gracefully():
    old = keyring.get_keyring()
    try:
        keyring.set_keyring(fail.Keyring())
        assert not keys.keyring_available()
        assert keys.set_secret("a", "b") is False and keys.get_secret("a") is None
        keyring.set_keyring(BrokenKeyring())
        assert keys.set_secret("a", "b") is False
        assert keys.get_secret("a") is None
        keys.delete_secret("a")  # must not raise
    finally:
        keyring.set_keyring(old)

"""Demo accounts: a trainer, a county worker and one worker per township, with readable passwords."""

from __future__ import annotations

import random

from sync.server.seed.places import County

# Short, easy-to-type words for classroom passwords (no 0/O or 1/l confusion in the digits).
_WORDS = ("mudan", "qinling", "weihe", "huashan", "yanta", "zhongnan", "qianling", "taibai",
          "lishan", "hanjiang", "baota", "dayan", "xiangzi", "liangpi", "roujiamo")


def _password(rng: random.Random) -> str:
    return f"{rng.choice(_WORDS)}-{rng.randrange(2, 10)}{rng.randrange(2, 10)}{rng.randrange(2, 10)}{rng.randrange(2, 10)}"


def township_username(township_code9: str) -> str:
    """xz + the 3-digit township part: 610424001 → xz001 (unique within a county)."""
    return "xz" + township_code9[6:9]


def make_accounts(rng: random.Random, county: County) -> list[dict]:
    accounts = [
        {"username": "trainer", "password": _password(rng), "role": "trainer",
         "jurisdiction": county.code, "display_name": f"{county.name} 培训讲师"},
        {"username": "county", "password": _password(rng), "role": "county",
         "jurisdiction": county.code, "display_name": f"{county.name} 区县专干"},
    ]
    for code, name in county.townships:
        accounts.append({"username": township_username(code), "password": _password(rng),
                         "role": "township", "jurisdiction": code,
                         "display_name": f"{name} 专干"})
    return accounts

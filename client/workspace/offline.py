"""When a worker's store may be opened offline (等保三级, issue 11).

Offline unlock works for the server's number of days (`offline_unlock_days`, default 7) since the last
online check (a login or a sync the server accepted). The clock's high-water mark is kept too: a PC
clock set back by more than a few minutes is seen and refused, so moving the date back does not
stretch the window. When the server says the account is deactivated, the store is marked and can no
longer be opened offline; nothing is deleted (pending work stays encrypted on the PC). An online login
that succeeds clears the mark.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from client.store import Store, get_state, set_state
from sync.client import errors as E

LAST_ONLINE = "last_online_check"     # UTC ISO time of the last successful online check
CLOCK_HIGH = "clock_high_water"       # the latest time this store has seen
UNLOCK_DAYS = "offline_unlock_days"   # the server's policy, from the last login
DISABLED_FILE = "account-disabled"    # next to the store: readable before the key is unwrapped
SIGNED_OUT_FILE = "online-login-required"   # too many wrong unlock passwords
DEFAULT_DAYS = 7
ROLLBACK_TOLERANCE = timedelta(minutes=10)


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def _iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).isoformat()


def mark_online(store: Store, user_dir: Path, now: datetime, days: int | None) -> None:
    """A successful online check: the window starts again and a deactivation mark is cleared."""
    with store.write() as s:
        set_state(s, LAST_ONLINE, _iso(now))
        high = get_state(s, CLOCK_HIGH)
        if high is None or datetime.fromisoformat(high) < now:
            set_state(s, CLOCK_HIGH, _iso(now))
        if days is not None:
            set_state(s, UNLOCK_DAYS, int(days))
        set_state(s, DISABLED_FILE, False)
    (user_dir / DISABLED_FILE).unlink(missing_ok=True)
    (user_dir / SIGNED_OUT_FILE).unlink(missing_ok=True)


def require_online(user_dir: Path) -> None:
    """Signed out after too many wrong unlock passwords: only an online login opens the store."""
    user_dir.mkdir(parents=True, exist_ok=True)
    (user_dir / SIGNED_OUT_FILE).write_text("online login required\n", encoding="ascii")


def mark_disabled(user_dir: Path, store: Store | None = None) -> None:
    """The server said the account is deactivated: no more offline unlocks."""
    user_dir.mkdir(parents=True, exist_ok=True)
    (user_dir / DISABLED_FILE).write_text("account_disabled\n", encoding="ascii")
    if store is not None:
        with store.write() as s:
            set_state(s, DISABLED_FILE, True)


def check_unlock(store: Store, user_dir: Path, now: datetime) -> None:
    """Raise OfflineUnlockRefused unless this store may be opened offline now; else move the
    clock's high-water mark forward."""
    with store.write() as s:
        if (user_dir / DISABLED_FILE).exists() or get_state(s, DISABLED_FILE):
            raise E.OfflineUnlockRefused("account disabled", reason="account_disabled")
        if (user_dir / SIGNED_OUT_FILE).exists():
            raise E.OfflineUnlockRefused("signed out", reason="signed_out")
        high = get_state(s, CLOCK_HIGH)
        if high is not None and now < datetime.fromisoformat(high) - ROLLBACK_TOLERANCE:
            raise E.OfflineUnlockRefused("clock rollback", reason="clock_rollback")
        last = get_state(s, LAST_ONLINE)
        days = int(get_state(s, UNLOCK_DAYS) or DEFAULT_DAYS)
        if last is not None and now - datetime.fromisoformat(last) > timedelta(days=days):
            raise E.OfflineUnlockRefused("offline too long", reason="offline_too_long", days=days)
        if high is None or datetime.fromisoformat(high) < now:
            set_state(s, CLOCK_HIGH, _iso(now))

"""Sign-in throttling with growing delays, by (account, client address) and by client address.

A per-account lock after a few failures let anyone lock anyone out (five anonymous guesses locked `admin` for
a quarter of an hour). Instead, failures are counted per (user name, client address) pair and per client
address: after LOGIN_FREE_FAILURES failures of a pair (LOGIN_FREE_FAILURES_PER_ADDRESS of an address, for
one client trying many names) each further failure doubles a waiting time, 1 s, 2 s, 4 s … up to
LOGIN_MAX_DELAY_SECONDS. Someone guessing from elsewhere slows only themselves; the account's owner signs in
from their own address as usual. The account-wide lock (accounts.authenticate) stays only as a guard against
guessing spread over many addresses, with a much higher threshold. Unknown user names are throttled exactly like
real ones, so the waiting time reveals nothing. Keys are stored hashed: no address or name in clear.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from matchmaker.extensions import db
from matchmaker.models import LoginThrottle
from matchmaker.models._base import as_utc, utcnow


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _name(username: str) -> str:
    return (username or "").strip().lower()


def _keys(username: str, address: str | None) -> list[tuple[str, int]]:
    """(key, free failures) for the pair and for the address; nothing to throttle without an address."""
    if not address:
        return []
    cfg = current_app.config
    return [(_key("pair", _name(username), address), int(cfg["LOGIN_FREE_FAILURES"])),
            (_key("address", address), int(cfg["LOGIN_FREE_FAILURES_PER_ADDRESS"]))]


def blocked_until(username: str, address: str | None) -> datetime | None:
    """When this client may try this name again, if it must wait now."""
    keys = [k for k, _free in _keys(username, address)]
    if not keys:
        return None
    now = utcnow()
    waits = [as_utc(row.blocked_until) for row in db.session.scalars(select(LoginThrottle)
                                                                       .where(LoginThrottle.key.in_(keys)))
             if row.blocked_until is not None and as_utc(row.blocked_until) > now]
    return max(waits) if waits else None


def delay(failures: int, free: int) -> timedelta:
    """Nothing for the first `free` failures, then 1 s doubling with each one, capped."""
    if failures <= free:
        return timedelta(0)
    cap = int(current_app.config["LOGIN_MAX_DELAY_SECONDS"])
    return timedelta(seconds=min(cap, 2 ** min(failures - free - 1, 30)))


def failed(username: str, address: str | None) -> None:
    """Count a failed attempt of this client (the caller commits)."""
    now = utcnow()
    for key, free in _keys(username, address):
        row = db.session.get(LoginThrottle, key)
        if row is None:
            row = LoginThrottle(key=key, failures=0)
            db.session.add(row)
        row.failures += 1
        row.updated_at = now
        wait = delay(row.failures, free)
        row.blocked_until = now + wait if wait else None


def succeeded(username: str, address: str | None) -> None:
    """A correct sign-in clears this pair's count (not the address's: one success does not excuse a spray)."""
    if address:
        db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == _key("pair", _name(username), address)))


def forget_old(days: int = 1) -> None:
    """Drop counters nobody touched for a day (the caller commits)."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.updated_at < utcnow() - timedelta(days=days)))

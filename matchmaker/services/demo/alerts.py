"""Demo match-alert subscriptions (corpus/demo/subscriptions.json): a saved search and a watched posting for the
researcher and the company logins, checked by the same rules as the 我的订阅 form (inside the demo transaction)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Chain, User
from matchmaker.services.alerts.subscriptions import add_subscription, check_subscription


def seed(folder: Path, results: dict[str, Any], needs: dict[str, Any], users: dict[str, User]) -> dict[str, int]:
    path = folder / "subscriptions.json"
    items = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    chain_ids = {c.code: c.id for c in db.session.scalars(select(Chain))}
    made = 0
    for item in items:
        user = users.get(item["user"])
        if user is None:
            continue
        postings = results if item.get("posting_kind") == "result" else needs
        own = postings.get(item.get("posting", ""))
        data = {"kind": item["kind"], "target_kind": item.get("target_kind", ""), "q": item.get("q", ""),
                "chain_id": str(chain_ids.get(item.get("chain", ""), "")), "posting_kind": item.get("posting_kind", ""),
                "posting_id": str(own.id) if own is not None else "", "min_score": str(item.get("min_score", ""))}
        add_subscription(user, check_subscription(data, user))
        made += 1
    return {"subscriptions": made}

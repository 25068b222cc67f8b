"""我的订阅: subscribe to a search or to new matches for one's own posting, list, delete; the digest setting.

The digest frequency is one setting per account (table digest_setting), not per subscription: a digest is one
e-mail per person grouping every subscription, so two frequencies for one inbox would only split it. It has its
own table instead of a user_account column so that the alerts domain does not widen (and, on SQLite, rebuild) the
accounts table; an account without a row has ALERT_DIGEST_DEFAULT. Unsubscribing is per subscription.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from matchmaker import labels
from matchmaker.extensions import db
from matchmaker.models import Chain, DigestSetting, Need, Result, Subscription, User
from matchmaker.models.alert import DIGEST_FREQUENCIES
from matchmaker.models.posting import KINDS, MODES
from matchmaker.services import audit, fields
from matchmaker.services.errors import FieldErrors, NotFound
from matchmaker.services.permissions import require_user

MODELS: dict[str, type[Result] | type[Need]] = {"result": Result, "need": Need}
OTHER = {"result": "need", "need": "result"}


@dataclass(frozen=True)
class SubscriptionView:
    """One row of 我的订阅: the subscription and what people read about it."""

    subscription: Subscription
    description: str
    alerts: int


def frequency_of(user: User) -> str:
    """The account's alert e-mail frequency (ALERT_DIGEST_DEFAULT until it chooses)."""
    setting = db.session.get(DigestSetting, user.id)
    return setting.frequency if setting is not None else str(current_app.config["ALERT_DIGEST_DEFAULT"])


def describe(sub: Subscription) -> str:
    """A subscription in one line, in the current locale: what it watches."""
    if sub.kind == "posting":
        own = db.session.get(MODELS.get(sub.posting_kind, Result), sub.posting_id or 0)
        title = own.title if own is not None else "—"
        return str(_l("“%(title)s”的新匹配（匹配度 ≥ %(score)s）", title=title, score=sub.min_score))
    parts = [sub.q, labels.label("posting_kind", sub.target_kind)]
    chain = db.session.get(Chain, sub.chain_id) if sub.chain_id else None
    if chain is not None:
        parts.append(chain.name)
    flt = sub.filters or {}
    if flt.get("trl_min") or flt.get("trl_max"):
        parts.append(f"TRL {flt.get('trl_min') or 1}–{flt.get('trl_max') or 9}")
    if flt.get("mode"):
        parts.append(labels.label("mode", flt["mode"]))
    return " · ".join(str(p) for p in parts if p)


def _check_cap(errors: FieldErrors, user: User) -> None:
    cap = int(current_app.config["SUBSCRIPTIONS_PER_USER"])
    count = db.session.scalar(select(func.count(Subscription.id)).where(Subscription.user_id == user.id)) or 0
    if count >= cap:
        errors.add("form", _l("订阅数量已达上限（%(n)d 个），请先删除不需要的订阅。", n=cap))


def clean_search(data: dict[str, Any], errors: FieldErrors) -> dict[str, Any]:
    """A saved search's fields: text (required), kind, chain and filters, checked as the search page reads them."""
    q = fields.text(errors, data, "q", required=True, max_len=100)
    kind = fields.choice(errors, data, "kind", KINDS)
    chain_id = None
    raw_chain = str(data.get("chain_id") or "").strip()
    if raw_chain:
        chain = db.session.get(Chain, int(raw_chain)) if raw_chain.isdigit() and len(raw_chain) < 10 else None
        if chain is None:
            errors.add("chain_id", _l("找不到该产业链。"))
        else:
            chain_id = chain.id
    trl_min = fields.integer(errors, data, "trl_min", low=1, high=9)
    trl_max = fields.integer(errors, data, "trl_max", low=1, high=9)
    if trl_min and trl_max and trl_min > trl_max:
        errors.add("trl_max", _l("最高成熟度不能低于最低成熟度。"))
    mode = fields.choice(errors, data, "mode", MODES, required=False)
    filters = {k: v for k, v in (("trl_min", trl_min), ("trl_max", trl_max), ("mode", mode)) if v}
    return {"kind": "search", "target_kind": kind, "q": q, "chain_id": chain_id, "filters": filters}


def clean_posting_watch(data: dict[str, Any], errors: FieldErrors, user: User) -> dict[str, Any]:
    """New matches for one of the user's own published postings at or above a pair score (0..100)."""
    kind = fields.choice(errors, data, "posting_kind", KINDS)
    score = fields.integer(errors, data, "min_score", low=0, high=100, required=True)
    raw = str(data.get("posting_id") or "").strip()
    own = None
    if kind in MODELS and raw.isdigit() and len(raw) < 10:
        own = db.session.get(MODELS[kind], int(raw))
    if own is None or own.owner_id != user.id:
        errors.add("posting_id", _l("只能为自己发布的内容订阅新匹配提醒。"))
    elif own.status != "published":
        errors.add("posting_id", _l("内容公开后才能订阅新匹配提醒。"))
    if own is None or errors.errors:
        return {}
    return {"kind": "posting", "target_kind": OTHER[kind], "posting_kind": kind, "posting_id": own.id,
            "min_score": score, "chain_id": own.chain_id, "q": "", "filters": {}}


def check_subscription(data: dict[str, Any], actor: User | None) -> dict[str, Any]:
    """Clean a new subscription (raises ValidationFailed with every field error); saves nothing."""
    user = require_user(actor)
    errors = FieldErrors()
    kind = str(data.get("kind") or "search")
    if kind == "posting":
        clean = clean_posting_watch(data, errors, user)
    elif kind == "search":
        clean = clean_search({**data, "kind": data.get("target_kind") or data.get("search_kind") or ""}, errors)
    else:
        errors.add("kind", _l("不是有效的选项。"))
        clean = {}
    _check_cap(errors, user)
    errors.raise_if_any()
    return clean


def add_subscription(user: User, clean: dict[str, Any]) -> Subscription:
    """Add (not commit) the subscription that check_subscription cleaned, its unused fields empty."""
    sub = Subscription(user_id=user.id, active=True, **{"posting_kind": "", "posting_id": None, "min_score": 0,
                                                        **clean})
    db.session.add(sub)
    return sub


def create_subscription(data: dict[str, Any], actor: User | None) -> Subscription:
    """Save a new subscription of the actor's (one commit, with its audit entry)."""
    user = require_user(actor)
    clean = check_subscription(data, user)
    sub = add_subscription(user, clean)
    audit.record(user, "subscribe", sub, {k: {"after": audit._plain(v)} for k, v in clean.items()})
    db.session.commit()
    return sub


def get_subscription(subscription_id: int, actor: User | None) -> Subscription:
    """One of the actor's subscriptions (someone else's is not found)."""
    user = require_user(actor)
    sub = db.session.get(Subscription, subscription_id)
    if sub is None or sub.user_id != user.id:
        raise NotFound(_l("找不到该订阅。"))
    return sub


def delete_subscription(subscription_id: int, actor: User | None) -> None:
    """Delete one of the actor's subscriptions; its past alerts stay (without it) for the staff counts."""
    sub = get_subscription(subscription_id, actor)
    audit.record(actor, "delete_subscription", sub, {"active": {"before": sub.active, "after": None}})
    db.session.delete(sub)
    db.session.commit()


def list_subscriptions(actor: User | None) -> list[SubscriptionView]:
    """The actor's subscriptions, newest first, each described and with how many alerts it produced."""
    from matchmaker.models import Alert

    user = require_user(actor)
    subs = list(db.session.scalars(select(Subscription).where(Subscription.user_id == user.id)
                                   .order_by(Subscription.id.desc())))
    counts = dict(db.session.execute(select(Alert.subscription_id, func.count(Alert.id))
                                     .where(Alert.subscription_id.in_([s.id for s in subs]))
                                     .group_by(Alert.subscription_id)).all()) if subs else {}
    return [SubscriptionView(s, describe(s), counts.get(s.id, 0)) for s in subs]


def set_frequency(data: dict[str, Any], actor: User | None) -> str:
    """Save the actor's alert e-mail frequency: immediate | daily | weekly | off."""
    user = require_user(actor)
    errors = FieldErrors()
    frequency = fields.choice(errors, data, "frequency", DIGEST_FREQUENCIES)
    errors.raise_if_any()
    setting = db.session.get(DigestSetting, user.id)
    before = setting.frequency if setting is not None else None
    if setting is None:
        setting = DigestSetting(user_id=user.id, frequency=frequency)
        db.session.add(setting)
    setting.frequency = frequency
    if before != frequency:
        audit.record(user, "set_digest", user, {"digest_frequency": {"before": before, "after": frequency}})
    db.session.commit()
    return frequency


def watch_form_values(kind: str, posting_id: int, actor: User | None) -> dict[str, Any]:
    """Prefill of the "新匹配提醒" form for one of the actor's postings (its title, the site's match threshold)."""
    user = require_user(actor)
    own = db.session.get(MODELS[kind], posting_id) if kind in MODELS else None
    if own is None or own.owner_id != user.id:
        raise NotFound(_l("找不到该记录。"))
    score = int(round(float(current_app.config["MATCH_MIN_SCORE"]) * 100))
    return {"posting_kind": kind, "posting_id": own.id, "title": own.title, "min_score": score}


def may_watch(posting: Result | Need, actor: User | None) -> bool:
    """Whether the actor may ask for new matches for this posting (its owner, once it is public)."""
    return actor is not None and actor.is_authenticated and posting.owner_id == actor.id and \
        posting.status == "published"

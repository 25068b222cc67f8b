"""A small published world for alerts: results that needs are matched against, and subscribers."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from matchmaker.models import Subscription, User
from matchmaker.services.alerts import reverse, subscriptions


@pytest.fixture(autouse=True)
def _fresh_reverse_index(app: Any) -> Any:
    yield
    reverse.forget()


@pytest.fixture
def subscribe() -> Callable[..., Subscription]:
    """subscribe(user, **data): a subscription through the service (kind "search" unless given)."""
    def make(user: User, **data: Any) -> Subscription:
        return subscriptions.create_subscription({"kind": "search", **data}, user)
    return make


SEAL_NEED = {"title": "发动机耐高温氟橡胶密封件国产化", "keywords": ["氟橡胶", "密封件"],
             "problem": "需要可在二百摄氏度以上长期工作的国产氟橡胶密封材料，替代进口密封件。"}

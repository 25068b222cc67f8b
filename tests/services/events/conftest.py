"""Fixtures the agenda tests share."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from matchmaker.models import Chain, Event, User
from matchmaker.services.events import events
from tests.services.events.test_events import event_data


@pytest.fixture
def staff(make_user: Callable[..., User]) -> User:
    return make_user("staff")


@pytest.fixture
def planned(staff: User, default_chains: list[Chain], make_user: Callable[..., User],
            make_posting: Callable[..., Any]) -> Event:
    """Three results of three universities × three firms with a matching need each; 2 slots × 2 tables, cap 2."""
    results = [make_posting("result") for _ in range(3)]
    firms = [make_user("company") for _ in range(3)]
    for firm in firms:
        make_posting("need", owner=firm)
    event = events.create_event(event_data(default_chains, slot_count="2", table_count="2", meeting_cap="2"), staff)
    events.add_to_lists(event.id, {"result_ids": [r.id for r in results], "org_ids": [f.org_id for f in firms]},
                        staff)
    return event

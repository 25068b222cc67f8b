"""Search of organizations: analyzer words of the query in the name or profile, literal, paged in SQL."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from matchmaker.models import Organization
from matchmaker.services.search.organizations import search_organizations


def names(page: Any) -> list[str]:
    return [f.item.name for f in page.items]


@pytest.fixture
def orgs(make_org: Callable[..., Organization]) -> dict[str, Organization]:
    return {
        "chem": make_org(name="淄博某化工有限公司", kind="company", description="含氟精细化学品生产企业。"),
        "uni": make_org(name="山东理工大学", kind="university", description="设有材料、机械和化工学院。"),
        "robot": make_org(name="淄博智能装备研究院", kind="institute", description="机器人与减速器研发。"),
        "pct": make_org(name="百分之100%检测中心", kind="company"),
    }


def test_every_word_must_occur_in_name_or_profile(orgs: dict[str, Organization]) -> None:
    assert names(search_organizations(q="化工")) == ["淄博某化工有限公司", "山东理工大学"]  # name hits first
    assert names(search_organizations(q="淄博化工")) == ["淄博某化工有限公司"]  # 淄博 + 化工, one run of text
    assert names(search_organizations(q="淄博 减速器")) == ["淄博智能装备研究院"]
    assert names(search_organizations(q="理工大学 机器人")) == []
    assert names(search_organizations(q="化工", kind="university")) == ["山东理工大学"]


def test_hits_are_marked_after_escaping(make_org: Callable[..., Organization]) -> None:
    make_org(name="<b>淄博</b>化工", description="<script>x</script>化工园区")
    found = search_organizations(q="化工").items[0]
    assert str(found.title) == "&lt;b&gt;淄博&lt;/b&gt;<mark>化工</mark>"
    assert str(found.snippet) == "&lt;script&gt;x&lt;/script&gt;<mark>化工</mark>园区"


@pytest.mark.parametrize("q", ["%", "_", "100%", "%检测"])
def test_percent_and_underscore_are_literal(orgs: dict[str, Organization], q: str) -> None:
    assert names(search_organizations(q=q)) == (["百分之100%检测中心"] if "%" in q else [])


def test_pages_and_long_queries(app: Flask, make_org: Callable[..., Organization]) -> None:
    for i in range(5):
        make_org(name=f"淄博化工{i}厂")
    pages = [search_organizations(q="化工", per_page=2, page=n) for n in (1, 2, 3)]
    assert [len(p.items) for p in pages] == [2, 2, 1] and pages[0].total == 5 and pages[0].pages == 3
    long = search_organizations(q="化工" + " 厂" * 200)
    assert long.truncated and len(long.q) <= app.config["SEARCH_MAX_CHARS"]

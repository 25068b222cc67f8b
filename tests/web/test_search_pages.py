"""The search boxes as pages: ranked hits marked, filters, pages, sort, notices and the empty-result offers."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from matchmaker.models import Chain, Organization, User
from tests import search_support
from tests.web.support import sign_in

chain_of, library = search_support.chain_of, search_support.library  # the shared search fixtures

def page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def titles(html: str) -> list[str]:
    """The listed titles as shown (marks kept)."""
    return re.findall(r'<strong class="hit-title">(.*?)</strong>', html)


def test_the_issue_examples_find_their_postings(client: FlaskClient, library: dict[str, Any]) -> None:
    found = titles(page(client, "/results/?q=氢燃料电池"))
    assert sorted(found) == sorted(["<mark>燃料电池</mark>金属双极板碳基复合涂层",
                                    "低铂高耐久质子交换膜<mark>燃料电池</mark>膜电极"])
    assert titles(page(client, "/results/?q=机器人减速器")) == [
        "<mark>机器人</mark>关节用双圆弧修形齿廓谐波<mark>减速器</mark>", "电驱动总成<mark>减速器</mark>啸叫抑制技术"]
    assert titles(page(client, "/results/?q=氟橡胶+密封")) == ["耐高温<mark>氟橡胶</mark><mark>密封</mark>材料"]
    assert titles(page(client, "/needs/?q=氢燃料电池")) == ["重卡<mark>燃料电池</mark>系统用长寿命膜电极"]
    html = page(client, "/results/?q=氟橡胶+密封")
    assert 'class="small hit-snippet"' in html and "共 1 条" in html


def test_the_home_box_searches_results(client: FlaskClient, library: dict[str, Any]) -> None:
    home = page(client, "/")
    assert 'action="/results/"' in home and 'name="q"' in home and "例如：氟橡胶 密封" in home


def test_filters_pages_and_sort(app: Flask, client: FlaskClient, library: dict[str, Any],
                                chain_of: Callable[[str], Chain]) -> None:
    assert titles(page(client, "/results/?q=燃料电池&trl_min=5")) == ["<mark>燃料电池</mark>金属双极板碳基复合涂层"]
    assert titles(page(client, "/results/?q=燃料电池&mode=joint")) == [
        "低铂高耐久质子交换膜<mark>燃料电池</mark>膜电极"]
    app.config["PAGE_SIZE"] = 1
    first, second = page(client, "/results/?q=燃料电池"), page(client, "/results/?q=燃料电池&page=2")
    assert len(titles(first)) == len(titles(second)) == 1 and titles(first) != titles(second)
    assert "共 2 条" in first and "page=2" in first
    assert '<option value="relevance" selected>' in first
    dated = page(client, "/results/?q=燃料电池&sort=date")
    assert '<option value="date" selected>' in dated
    assert 'value="relevance"' not in page(client, "/results/")  # nothing to rank without a query


def test_a_long_query_is_cut_with_a_notice(app: Flask, client: FlaskClient, library: dict[str, Any]) -> None:
    html = page(client, "/results/?q=" + "燃料电池" * 100)  # the page cuts at 100 (web MAX_QUERY) with a notice
    assert "搜索词过长，已只按前 100 个字搜索。" in html
    assert "搜索词过长" not in page(client, "/results/?q=燃料电池")


def test_percent_and_underscore_find_nothing_by_themselves(client: FlaskClient, library: dict[str, Any]) -> None:
    for q in ("%25", "_", "%25_%25"):
        assert titles(page(client, f"/results/?q={q}")) == []


def test_an_empty_result_says_so_and_offers_a_chain_and_a_shorter_query(
        client: FlaskClient, library: dict[str, Any], chain_of: Callable[[str], Chain]) -> None:
    robotics, hydrogen = chain_of("robotics").id, chain_of("hydrogen").id
    html = page(client, f"/results/?q=燃料电池&chain_id={robotics}")
    assert 'id="search-empty"' in html and "没有找到与“燃料电池”相关的记录" in html
    assert f'href="/results/?chain_id={hydrogen}"' in html
    shorter = page(client, "/results/?q=减速器+氟橡胶+提锂+双极板")
    link = re.search(r'id="search-shorter" href="([^"]+)">([^<]+)</a>', shorter)
    assert link is not None and len(link.group(2).split()) == 3
    assert titles(page(client, link.group(1).replace("&amp;", "&")))


def test_a_script_in_a_title_is_escaped_then_marked(client: FlaskClient, make_posting: Callable[..., Any]) -> None:
    make_posting("result", title="<script>alert(1)</script>燃料电池双极板")
    html = page(client, "/results/?q=燃料电池")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>燃料电池</mark>双极板" in html


def test_organizations_search_box(client: FlaskClient, make_org: Callable[..., Organization]) -> None:
    make_org(name="淄博某化工有限公司", kind="company")
    make_org(name="山东理工大学", kind="university", description="设有化工学院。")
    make_org(name="淄博智能装备研究院", kind="institute")
    html = page(client, "/orgs/?q=淄博化工")
    assert "淄博某<mark>化工</mark>有限公司".replace("淄博", "<mark>淄博</mark>") in html and "共 1 家" in html
    assert "没有找到与“xyzzy”相关的单位" in page(client, "/orgs/?q=xyzzy")
    assert "搜索词过长，已只按前 100 个字搜索。" in page(client, "/orgs/?q=" + "化" * 300)


def test_my_postings_are_paged(app: Flask, client: FlaskClient, make_user: Callable[..., User],
                               make_posting: Callable[..., Any]) -> None:
    owner = make_user("researcher")
    for i in range(3):
        make_posting("result", owner=owner, status="draft", title=f"我的草稿第{i}号")
    app.config["PAGE_SIZE"] = 2
    sign_in(client, owner)
    first, second = page(client, "/results/mine"), page(client, "/results/mine?page=2")
    assert first.count("我的草稿第") == 2 and second.count("我的草稿第") == 1 and "page=2" in first

"""Search of results and needs: engine ranking, filters in SQL, pages, marks, sort, long and odd queries."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from matchmaker.models import Chain
from matchmaker.services.postings.lifecycle import PostingFilter
from matchmaker.services.search import postings as search


def ids(page: Any) -> list[int]:
    return [f.item.id for f in page.items]


def find(kind: str = "result", q: str = "", **kwargs: Any) -> Any:
    sort, page, per_page = kwargs.pop("sort", ""), kwargs.pop("page", 1), kwargs.pop("per_page", 20)
    return search.search_postings(kind, PostingFilter(q=q, **kwargs), sort=sort, page=page, per_page=per_page)


def test_a_longer_query_finds_what_its_part_finds(library: dict[str, Any]) -> None:
    """氢燃料电池 finds the fuel-cell results (燃料电池 alone finds them too); 机器人减速器 both reducers."""
    fuel = {library["plate"].id, library["mea"].id}
    assert set(ids(find(q="燃料电池"))) == fuel
    assert set(ids(find(q="氢燃料电池"))) == fuel
    assert ids(find(q="机器人减速器")) == [library["harmonic"].id, library["gearbox"].id]
    assert set(ids(find(q="减速器"))) == {library["harmonic"].id, library["gearbox"].id}
    assert ids(find("need", q="氢燃料电池")) == [library["fuel_need"].id]


def test_the_search_box_example_finds_the_seal(library: dict[str, Any]) -> None:
    found = find(q="氟橡胶 密封")
    assert ids(found) == [library["seal"].id] and found.total == 1 and found.sort == "relevance"
    assert str(found.items[0].title) == "耐高温<mark>氟橡胶</mark><mark>密封</mark>材料"
    assert "<mark>氟橡胶</mark>" in str(found.items[0].snippet)


def test_nothing_unrelated_is_found(library: dict[str, Any]) -> None:
    assert library["recycle"].id not in ids(find(q="氢燃料电池"))  # shares only 电池: below the minimum score
    assert ids(find(q="xyzzy")) == [] and find(q="xyzzy").total == 0


def test_filters_combine_with_the_query(library: dict[str, Any], chain_of: Callable[[str], Chain]) -> None:
    assert ids(find(q="燃料电池", trl_min=5)) == [library["plate"].id]
    assert ids(find(q="燃料电池", trl_max=5)) == [library["mea"].id]
    assert ids(find(q="燃料电池", mode="joint")) == [library["mea"].id]
    assert ids(find(q="燃料电池", mode="equity")) == []
    assert ids(find(q="燃料电池 减速器", chain_id=chain_of("robotics").id)) == [library["gearbox"].id,
                                                                             library["harmonic"].id]
    assert ids(find(q="燃料电池", org_id=library["mea"].org_id)) == [library["mea"].id]
    assert ids(find(q="燃料电池", chain_id=chain_of("robotics").id)) == []


def test_only_published_postings_are_found(library: dict[str, Any], make_posting: Callable[..., Any]) -> None:
    draft = make_posting("result", status="draft", title="燃料电池用石墨双极板草稿")
    pending = make_posting("result", status="pending", title="燃料电池用石墨双极板待审")
    assert not {draft.id, pending.id} & set(ids(find(q="燃料电池 双极板")))


def test_pages_split_the_ranked_list(make_posting: Callable[..., Any]) -> None:
    made = [make_posting("result", title=f"燃料电池双极板涂层第{i}代") for i in range(7)]
    pages = [find(q="燃料电池", per_page=3, page=n) for n in (1, 2, 3, 4)]
    assert [len(p.items) for p in pages] == [3, 3, 1, 0]
    assert {p.total for p in pages} == {7} and pages[0].pages == 3
    assert sorted(i for p in pages for i in ids(p)) == sorted(p.id for p in made)


def test_sort_by_relevance_or_date(library: dict[str, Any]) -> None:
    fuel_first = ids(find(q="燃料电池 减速器"))
    newest_first = ids(find(q="燃料电池 减速器", sort="date"))
    assert sorted(fuel_first) == sorted(newest_first) and fuel_first != newest_first
    assert newest_first == sorted(newest_first, reverse=True)  # made in id order, so the newest has the top id
    assert find(q="燃料电池").sort == "relevance" and find().sort == "date"
    assert find(sort="relevance").sort == "date"  # nothing to rank without a query
    assert find(q="燃料电池", sort="nonsense").sort == "relevance"
    assert ids(find()) == sorted(ids(find()), reverse=True)


def test_titles_are_escaped_before_hits_are_marked(make_posting: Callable[..., Any]) -> None:
    make_posting("result", title="<script>alert(1)</script>燃料电池双极板",
                 summary="<img src=x onerror=alert(2)>质子交换膜燃料电池的双极板涂层，耐腐蚀。")
    item = find(q="燃料电池 <script>").items[0]
    assert str(item.title) == ("&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;"
                               "<mark>燃料电池</mark>双极板")
    assert "<img" not in str(item.snippet) and "alert(2)&gt;" in str(item.snippet)
    assert "<mark>燃料电池</mark>" in str(item.snippet)


def test_a_long_query_is_cut_not_refused(app: Flask, library: dict[str, Any]) -> None:
    found = find(q="燃料电池" + "。" * 300)
    assert found.truncated and len(found.q) == app.config["SEARCH_MAX_CHARS"]
    assert set(ids(found)) == {library["plate"].id, library["mea"].id}
    assert not find(q="燃料电池").truncated


@pytest.mark.parametrize("q", ["%", "_", "%%", "_%_", "%_%"])
def test_percent_and_underscore_are_no_wildcards(library: dict[str, Any], q: str) -> None:
    assert ids(find(q=q)) == []
    assert library["seal"].id not in ids(find(q=f"燃料电池{q}"))


@pytest.mark.parametrize("q", ["%", "_"])
def test_percent_and_underscore_are_literal_without_an_index(app: Flask, make_posting: Callable[..., Any],
                                                             q: str) -> None:
    app.config["MATCH_INDEX_ENABLED"] = False
    literal = make_posting("result", title=f"纯度99{q}以上的电子级氢氟酸")
    make_posting("result", title="纯度99以上的电子级氢氟酸")
    assert ids(find(q=q)) == [literal.id]


def test_an_empty_result_offers_the_nearest_chain(library: dict[str, Any], chain_of: Callable[[str], Chain]) -> None:
    found = find(q="燃料电池", chain_id=chain_of("robotics").id)
    assert found.items == [] and found.help is not None
    assert chain_of("hydrogen") in found.help.chains
    assert find(q="燃料电池").help is None


def test_an_empty_result_offers_a_shorter_query(library: dict[str, Any]) -> None:
    q = "减速器 氟橡胶 提锂 双极板"
    found = find(q=q)
    assert found.items == [] and found.help is not None and found.help.shorter
    shorter = found.help.shorter.split()
    assert len(shorter) == 3 and set(shorter) < set(q.split())
    assert find(q=found.help.shorter).total > 0


def test_the_engine_result_is_filtered_in_one_query_and_only_a_page_is_loaded(
        library: dict[str, Any], make_posting: Callable[..., Any], statements: list[str]) -> None:
    for i in range(12):
        make_posting("result", title=f"燃料电池双极板涂层第{i}代")
    statements.clear()
    found = find(q="燃料电池", per_page=5, page=2)
    assert len(found.items) == 5 and found.total == 14
    posting_reads = [s for s in statements if "FROM result" in s]
    assert len(posting_reads) <= 3, posting_reads  # ids passing the filters; the page's rows (+ selectin loads)
    assert any("result.id IN" in s and "result.title" in s for s in posting_reads)


def test_without_a_query_the_list_is_counted_and_limited_in_sql(make_posting: Callable[..., Any],
                                                                statements: list[str]) -> None:
    for i in range(6):
        make_posting("result", title=f"测试成果第{i}号")
    statements.clear()
    found = find(per_page=4, page=2)
    assert len(found.items) == 2 and found.total == 6
    rows = [s for s in statements if "FROM result" in s]
    assert any("count(*)" in s.lower() for s in rows)
    assert any("LIMIT" in s and "OFFSET" in s for s in rows)

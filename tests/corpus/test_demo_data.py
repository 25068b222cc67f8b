"""Consistency checks for the shipped corpus and demo data (no app, no database).

Run: .venv/bin/pytest tests/corpus -q
"""
from __future__ import annotations

import collections
import datetime as dt
import json
import re
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
DEMO = CORPUS / "demo"
TODAY = dt.date(2026, 11, 27)
CITY_PREFIX = "3703"

CHAINS = {
    "fluorosilicon": "氟硅材料", "polyurethane": "聚氨酯", "ceramics": "先进陶瓷", "hydrogen": "氢能",
    "storage": "储能", "photovoltaic": "光伏", "nev": "新能源汽车", "robotics": "机器人",
    "biomed": "生物医药", "nextgen_it": "新一代信息技术",
}
MODES = {"transfer", "license", "equity", "joint", "service"}
PHONE = re.compile(r"^1[3-9]\d{9}$")
DEMO_PASSWORDS = {"admin": "Admin#2026demo", "staff": "Staff#2026demo",
                  "researcher": "Research#2026demo", "company": "Company#2026demo"}


def load(name: str):
    return json.loads((DEMO / name).read_text(encoding="utf-8"))


def day(s: str) -> dt.date:
    return dt.date.fromisoformat(s[:10])


# --- GB 32100-2015 check character, written independently of the application -----------------
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc_valid(code: str) -> bool:
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        return False
    total = 0
    weight = 1
    for c in code[:17]:
        total += USCC_ALPHABET.index(c) * weight
        weight = weight * 3 % 31
    return USCC_ALPHABET[(31 - total % 31) % 31] == code[17]


@pytest.fixture(scope="module")
def orgs():
    return {o["key"]: o for o in load("organizations.json")}


@pytest.fixture(scope="module")
def results():
    return {r["key"]: r for r in load("results.json")}


@pytest.fixture(scope="module")
def needs():
    return {n["key"]: n for n in load("needs.json")}


@pytest.fixture(scope="module")
def events():
    return {e["key"]: e for e in load("events.json")}


@pytest.fixture(scope="module")
def intents():
    return {i["key"]: i for i in load("intents.json")}


@pytest.fixture(scope="module")
def transfers():
    return {t["key"]: t for t in load("transfers.json")}


@pytest.fixture(scope="module")
def chains():
    return json.loads((CORPUS / "chains.json").read_text(encoding="utf-8"))


# --- credit codes ---------------------------------------------------------------------------------
@pytest.mark.parametrize("code,ok", [
    ("914403001922038216", True), ("9144030071526726XG", True), ("12100000400000624D", True),
    ("91440101MA5CJQ4N59", True), ("91350100M000100Y4Z", False), ("914403001922038217", False),
    ("9144030019220382I6", False),
])
def test_checksum_implementation(code, ok):
    assert uscc_valid(code) is ok


def test_credit_codes_valid_unique_and_typed(orgs):
    codes = [o["credit_code"] for o in orgs.values()]
    assert len(codes) == len(set(codes))
    prefix = {"company": "91", "university": "12", "institute": "12", "bureau": "11"}
    for o in orgs.values():
        assert uscc_valid(o["credit_code"]), o["key"]
        assert o["credit_code"].startswith(prefix[o["kind"]]), o["key"]
        assert o["credit_code"][2:8].isdigit(), o["key"]


def test_organization_mix(orgs):
    kinds = collections.Counter(o["kind"] for o in orgs.values())
    assert kinds["university"] + kinds["institute"] >= 10
    assert kinds["company"] >= 36
    assert kinds["bureau"] == 1 and orgs["bureau"]["name"] == "淄博市科学技术局"
    companies = [o for o in orgs.values() if o["kind"] == "company"]
    local = [o for o in companies if o["credit_code"][2:6] == CITY_PREFIX]
    assert 0.55 <= len(local) / len(companies) <= 0.8  # "about two thirds" local
    for o in orgs.values():
        assert PHONE.match(o["contact_phone"]) and o["district"] and o["address"], o["key"]


# --- chains and text resources -----------------------------------------------------------------------
def test_chains(chains):
    assert {c["code"]: c["name"] for c in chains} == CHAINS
    owner: dict[str, str] = {}
    for c in chains:
        assert c["description"]
        assert len(c["terms"]) >= 50, c["code"]
        assert len(c["terms"]) == len(set(c["terms"])), c["code"]
        for t in c["terms"]:
            assert t == t.strip() and " " not in t
            # No overlaps are allowed: every term belongs to exactly one chain.
            assert t not in owner, f"{t} in {owner.get(t)} and {c['code']}"
            owner[t] = c["code"]


def test_userdict(chains):
    lines = (CORPUS / "userdict.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 800
    words = []
    for line in lines:
        parts = line.split(" ")
        assert len(parts) == 3, line
        word, freq, tag = parts
        assert word and freq.isdigit() and int(freq) > 0 and tag in {"n", "nz"}, line
        words.append(word)
    assert len(words) == len(set(words))
    missing = {t for c in chains for t in c["terms"]} - set(words)
    assert not missing


def test_userdict_keeps_chain_terms_whole(chains):
    jieba = pytest.importorskip("jieba")
    tk = jieba.Tokenizer()
    tk.load_userdict(str(CORPUS / "userdict.txt"))
    split = [t for c in chains for t in c["terms"] if tk.lcut(t, HMM=False) != [t]]
    assert not split


def test_stopwords(chains):
    words = (CORPUS / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    assert 300 <= len(words) <= 600
    assert len(words) == len(set(words)) and all(w.strip() == w and w for w in words)
    assert not set(words) & {t for c in chains for t in c["terms"]}
    for w in ("我公司", "需要", "寻求", "合作", "本成果", "一种"):
        assert w in words


def test_common_passwords():
    pw = (CORPUS / "common_passwords.txt").read_text(encoding="utf-8").splitlines()
    assert 900 <= len(pw) <= 1300
    assert len(pw) == len(set(pw)) and all(p == p.lower() and p.strip() == p and p for p in pw)
    for p in ("123456", "password", "qwerty123", "woaini1314"):
        assert p in pw
    assert not {p.lower() for p in DEMO_PASSWORDS.values()} & set(pw)


# --- results and needs -----------------------------------------------------------------------------
def check_contact(rec):
    assert PHONE.match(rec["contact_phone"]), rec["key"]
    assert rec["contact_name"] and "@" in rec["contact_email"], rec["key"]


def check_dates(rec):
    if rec["status"] == "published":
        pub = day(rec["published_on"])
        assert dt.date(2025, 1, 1) <= pub <= TODAY, rec["key"]
        assert day(rec["submitted_on"]) <= pub
    else:
        assert rec["published_on"] is None
    assert (rec["status"] == "rejected") == bool(rec.get("reject_reason")), rec["key"]


def test_results(results, orgs):
    assert len(results) >= 70
    status = collections.Counter(r["status"] for r in results.values())
    assert status["published"] >= 62 and status["rejected"] == 2 and status["pending"] >= 2
    assert set(status) == {"published", "pending", "rejected"}
    per_chain = collections.Counter(r["chain"] for r in results.values() if r["status"] == "published")
    assert set(per_chain) == set(CHAINS) and min(per_chain.values()) >= 6
    for r in results.values():
        assert orgs[r["org"]]["kind"] in {"university", "institute"}, r["key"]
        assert 120 <= len(r["summary"]) <= 300, r["key"]
        assert r["innovations"] and re.search(r"\d", r["indicators"]), r["key"]
        assert 3 <= len(r["keywords"]) <= 6
        assert 1 <= r["trl"] <= 9
        assert r["stage"] in {"research", "small_trial", "pilot", "small_batch", "industrial"}
        assert r["ip_type"] in {"invention", "utility", "design", "software", "know_how", "none"}
        for p in filter(None, r["patent_numbers"].split("; ")):
            assert re.fullmatch(r"ZL20\d{2}[123]\d{7}\.[\dX]|20\d{2}SR\d{7}", p), p
        assert r["modes"] and set(r["modes"]) <= MODES
        assert r["price_wan"] is None or r["price_wan"] > 0
        check_contact(r)
        check_dates(r)
    published_2026 = [r for r in results.values() if r["status"] == "published" and r["published_on"] >= "2026"]
    assert len(published_2026) < 100  # the year is still in progress


def test_near_duplicates_are_published():
    truth = load("match_truth.json")
    res = {r["key"]: r for r in load("results.json")}
    assert len(truth["duplicates"]) >= 2
    for a, b in truth["duplicates"]:
        assert res[a]["status"] == res[b]["status"] == "published"
        assert res[a]["org"] == res[b]["org"] and res[a]["chain"] == res[b]["chain"]
        assert res[a]["published_on"] < res[b]["published_on"]


def test_needs(needs, orgs):
    assert len(needs) >= 70
    assert len({n["org"] for n in needs.values()}) >= 32
    status = collections.Counter(n["status"] for n in needs.values())
    assert status["rejected"] == 1 and status["pending"] >= 1 and status["published"] >= 60
    per_chain = collections.Counter(n["chain"] for n in needs.values() if n["status"] == "published")
    assert set(per_chain) == set(CHAINS) and min(per_chain.values()) >= 6
    for n in needs.values():
        assert orgs[n["org"]]["kind"] == "company", n["key"]
        assert 120 <= len(n["problem"]) <= 300, n["key"]
        assert re.search(r"\d", n["targets"]) and 3 <= len(n["keywords"]) <= 6
        assert n["need_type"] in {"rd", "acquire", "process", "testing", "talent"}
        assert n["budget_wan"] is None or n["budget_wan"] > 0
        assert dt.date(2026, 12, 1) <= day(n["deadline"]) <= dt.date(2027, 12, 31), n["key"]
        assert n["modes"] and set(n["modes"]) <= MODES and 1 <= n["trl_min"] <= 9
        check_contact(n)
        check_dates(n)


def test_match_truth(results, needs):
    truth = load("match_truth.json")
    assert len(truth["pairs"]) >= 40 and truth["gaps"]
    for p in truth["pairs"]:
        assert needs[p["need"]]["status"] == "published" and results[p["result"]]["status"] == "published"
        assert p["strength"] in {"strong", "partial"}
    for g in truth["gaps"]:
        assert g in needs and g not in {p["need"] for p in truth["pairs"]}


# --- events, intents, transfers ---------------------------------------------------------------------
def test_events(events, results, needs, orgs):
    assert len(events) == 7
    status = collections.Counter(e["status"] for e in events.values())
    assert status == {"held": 5, "planned": 1, "cancelled": 1}
    for e in events.values():
        start = day(e["starts_at"])
        assert start.year == 2026 and e["type"] in {"roadshow", "matchmaking", "campus", "auction"}
        if e["status"] == "held":
            assert start < TODAY
        if e["status"] == "planned":
            assert start.month == 12
        assert set(e["chains"]) <= set(CHAINS) and e["capacity"] > 0
        for r in e["presented"]:
            assert results[r]["status"] == "published" and day(results[r]["published_on"]) < start
        invited = {i["org"] for i in e["invited"]}
        for i in e["invited"]:
            assert i["org"] in orgs and i["status"] in {"invited", "registered", "attended"}
            if e["status"] != "held":
                assert i["status"] != "attended"
        seen = set()
        for m in e["meetings"]:
            assert results[m["result"]]["status"] == "published"
            assert orgs[m["company"]]["kind"] == "company" and m["company"] in invited
            if m["need"] is not None:
                n = needs[m["need"]]
                assert n["status"] == "published" and n["org"] == m["company"]
                assert day(n["published_on"]) < start
            assert day(m["slot"]) == start
            assert (m["slot"], m["table"]) not in seen and (m["slot"], m["company"]) not in seen
            seen |= {(m["slot"], m["table"]), (m["slot"], m["company"])}
            assert m["outcome"] in ({"none"} if e["status"] == "planned" else {"no_interest", "follow_up", "intent"})
        if e["status"] == "cancelled":
            assert not e["meetings"]


def test_intents(intents, results, needs, orgs, events):
    assert 30 <= len(intents) <= 60
    years = collections.Counter(day(i["date"]).year for i in intents.values())
    assert set(years) <= {2025, 2026} and 1 <= years[2025] <= 5 and years[2026] < 100
    for i in intents.values():
        d = day(i["date"])
        assert d <= TODAY
        r = results[i["result"]]
        assert r["status"] == "published" and day(r["published_on"]) <= d, i["key"]
        assert orgs[i["company"]]["kind"] == "company"
        if i["need"]:
            n = needs[i["need"]]
            assert n["org"] == i["company"] and day(n["published_on"]) <= d, i["key"]
        if i["event"]:
            e = events[i["event"]]
            assert e["status"] == "held" and day(e["starts_at"]) <= d
            assert i["company"] in {o["org"] for o in e["invited"] if o["status"] == "attended"}
        assert i["mode"] in MODES and i["status"] in {"open", "negotiating", "signed", "dropped"}
        assert i["amount_wan"] is None or i["amount_wan"] > 0
        for note in i["notes"]:
            assert d <= day(note["date"]) <= TODAY and note["text"]


def test_transfers(transfers, intents, results, orgs):
    assert 6 <= len(transfers) <= 12
    years = collections.Counter(day(t["signed_on"]).year for t in transfers.values())
    assert years[2025] == 1 and years[2026] == len(transfers) - 1
    buyers = [orgs[t["buyer"]] for t in transfers.values()]
    assert all(b["kind"] == "company" for b in buyers)
    assert sum(b["credit_code"][2:6] != CITY_PREFIX for b in buyers) == 2
    numbers = [t["contract_number"] for t in transfers.values()]
    assert len(numbers) == len(set(numbers))
    for t in transfers.values():
        assert re.fullmatch(r"20\d{2}370300\d{4}", t["contract_number"])
        assert t["contract_number"][:4] == t["signed_on"][:4]
        assert t["contract_type"] in {"development", "transfer", "license", "consulting", "service"}
        assert t["amount_wan"] > 0 and day(t["signed_on"]) <= TODAY
        assert day(results[t["result"]]["published_on"]) <= day(t["signed_on"])
        if t["intent"]:
            i = intents[t["intent"]]
            assert i["result"] == t["result"] and i["company"] == t["buyer"] and i["status"] == "signed"
            assert day(i["date"]) <= day(t["signed_on"])
    signed = {k for k, i in intents.items() if i["status"] == "signed"}
    assert signed == {t["intent"] for t in transfers.values() if t["intent"]}


# --- users ----------------------------------------------------------------------------------------
def test_users(orgs):
    users = load("users.json")
    names = [u["username"] for u in users]
    assert len(names) == len(set(names))
    by = {u["username"]: u for u in users}
    for name, pw in DEMO_PASSWORDS.items():
        assert by[name]["password"] == pw
    assert by["admin"]["role"] == "admin" and by["staff"]["role"] == "staff"
    assert by["admin"]["org"] == by["staff"]["org"] == "bureau"
    role_pw = {"admin": "Admin#2026demo", "staff": "Staff#2026demo",
               "researcher": "Research#2026demo", "company": "Company#2026demo"}
    for u in users:
        assert u["org"] in orgs and u["password"] == role_pw[u["role"]] and "@" in u["email"]
    researchers = collections.Counter(u["org"] for u in users if u["role"] == "researcher")
    companies = collections.Counter(u["org"] for u in users if u["role"] == "company")
    assert set(researchers) == {k for k, o in orgs.items() if o["kind"] in {"university", "institute"}}
    assert set(companies) == {k for k, o in orgs.items() if o["kind"] == "company"}
    assert max(researchers.values()) == max(companies.values()) == 1
    for u in users:
        if u["username"] not in DEMO_PASSWORDS:
            prefix = {"researcher": "r_", "company": "c_"}[u["role"]]
            assert u["username"] == prefix + u["org"]

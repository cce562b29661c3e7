"""Checks on the hand-written evaluation set eval/questions.jsonl.

Every answerable question must be backed by a verbatim span of the *cleaned* text of its
gold report (the text the index is built from), and every answer key must occur in that span,
so a failing question here means the gold data, not the system under test, is wrong.
"""
from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from ingest.pipeline import process_file, sidecars_for

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "eval" / "questions.jsonl"
SEEDS = ROOT / "seeds"

CATEGORY_MINIMUMS = {
    "standard": 20,
    "statistic": 20,
    "colloquial": 12,
    "keywords": 10,
    "traditional": 10,
    "english": 10,
    "table": 11,
    "comparison": 8,
    "procedure": 8,
    "unanswerable": 28,
}
MIN_TOTAL = 150
MIN_UNANSWERABLE = 25

# Which region each seed report is about (a question's `city` must agree with its source).
SOURCE_CITY = {
    "000_634e09650f0b344e.txt": "洛阳市",
    "001_121c05062443fa9f.txt": "漯河市",
    "002_39dfedb441b95935.txt": "焦作市",
    "003_8547944d577de060.txt": "郑州市惠济区",
    "004_6a9f14ed8234cc33.txt": "焦作市",
}
COVERED_CITIES = set(SOURCE_CITY.values())

REQUIRED = {
    "id": str,
    "question": str,
    "answerable": bool,
    "answer_keys": list,
    "category": str,
}
NULLABLE = {"source": str, "span": str, "city": str}

SPAN_MIN, SPAN_MAX = 10, 80


def _raw_lines() -> list[tuple[int, str]]:
    text = QUESTIONS.read_text(encoding="utf-8")
    return [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def _parsed() -> list[dict]:
    out = []
    for _, line in _raw_lines():
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict):
            out.append(obj)
    return out


RECORDS = _parsed()
ANSWERABLE = [r for r in RECORDS if r.get("answerable") is True]
UNANSWERABLE = [r for r in RECORDS if r.get("answerable") is False]
COMPARISONS = [r for r in ANSWERABLE if r.get("category") == "comparison"]


def _qid(r: dict) -> str:
    return str(r.get("id", "<no id>"))


@lru_cache(maxsize=None)
def cleaned_text(name: str) -> str:
    path = SEEDS / name
    return process_file(path, sidecars_for([path])).document.text


# ------------------------------------------------------------------ file-level checks

def test_file_exists_and_every_line_parses():
    assert QUESTIONS.is_file(), f"missing {QUESTIONS}"
    bad = []
    for n, line in _raw_lines():
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            bad.append(f"line {n}: {e}")
            continue
        if not isinstance(obj, dict):
            bad.append(f"line {n}: not a JSON object")
    assert not bad, "unparseable lines in questions.jsonl:\n" + "\n".join(bad)


def test_written_without_ascii_escapes():
    escaped = [n for n, line in _raw_lines() if "\\u" in line]
    assert not escaped, f"lines {escaped} contain \\u escapes; write with ensure_ascii=False"


def test_required_fields_and_types():
    problems = []
    for r in RECORDS:
        qid = _qid(r)
        for field, typ in REQUIRED.items():
            if field not in r:
                problems.append(f"{qid}: missing field {field!r}")
            elif not isinstance(r[field], typ):
                problems.append(f"{qid}: field {field!r} should be {typ.__name__}, got {type(r[field]).__name__}")
        for field, typ in NULLABLE.items():
            if field not in r:
                problems.append(f"{qid}: missing field {field!r}")
            elif r[field] is not None and not isinstance(r[field], typ):
                problems.append(f"{qid}: field {field!r} should be {typ.__name__} or null")
        keys = r.get("answer_keys")
        if isinstance(keys, list) and not all(isinstance(k, str) and k for k in keys):
            problems.append(f"{qid}: answer_keys must be non-empty strings")
        if isinstance(r.get("question"), str) and not r["question"].strip():
            problems.append(f"{qid}: empty question")
    assert not problems, "\n".join(problems)


def test_ids_unique():
    counts = Counter(_qid(r) for r in RECORDS)
    dupes = sorted(i for i, c in counts.items() if c > 1)
    assert not dupes, f"duplicate ids: {dupes}"


def test_questions_unique():
    counts = Counter(r.get("question") for r in RECORDS)
    dupes = sorted(str(q) for q, c in counts.items() if c > 1)
    assert not dupes, f"duplicate question texts: {dupes}"


def test_categories_known_and_minimum_counts():
    unknown = [f"{_qid(r)}: {r.get('category')!r}" for r in RECORDS if r.get("category") not in CATEGORY_MINIMUMS]
    assert not unknown, "unknown categories:\n" + "\n".join(unknown)
    counts = Counter(r["category"] for r in RECORDS)
    short = [f"{c}: {counts.get(c, 0)} < {m}" for c, m in CATEGORY_MINIMUMS.items() if counts.get(c, 0) < m]
    assert not short, "categories below their minimum count:\n" + "\n".join(short)


def test_total_and_unanswerable_counts():
    assert len(RECORDS) >= MIN_TOTAL, f"only {len(RECORDS)} questions (need >= {MIN_TOTAL})"
    assert len(UNANSWERABLE) >= MIN_UNANSWERABLE, (
        f"only {len(UNANSWERABLE)} unanswerable questions (need >= {MIN_UNANSWERABLE})")


def test_unanswerable_category_matches_flag():
    wrong = [_qid(r) for r in RECORDS
             if (r.get("category") == "unanswerable") != (r.get("answerable") is False)]
    assert not wrong, f"category 'unanswerable' must go with answerable=false and only with it: {wrong}"


# ------------------------------------------------------------------ per-question checks

@pytest.mark.parametrize("r", UNANSWERABLE, ids=_qid)
def test_unanswerable_has_no_gold(r):
    qid = _qid(r)
    assert r.get("answer_keys") == [], f"{qid}: unanswerable question must have answer_keys == []"
    assert r.get("source") is None, f"{qid}: unanswerable question must have source null"
    assert r.get("span") is None, f"{qid}: unanswerable question must have span null"


@pytest.mark.parametrize("r", ANSWERABLE, ids=_qid)
def test_answerable_span_is_verbatim_and_holds_keys(r):
    qid = _qid(r)
    keys = r.get("answer_keys") or []
    assert keys, f"{qid}: answerable question needs at least one answer key"
    src, span = r.get("source"), r.get("span")
    assert isinstance(src, str) and (SEEDS / src).is_file(), f"{qid}: source {src!r} is not a file in seeds/"
    assert isinstance(span, str), f"{qid}: answerable question needs a span"
    assert SPAN_MIN <= len(span) <= SPAN_MAX, f"{qid}: span is {len(span)} chars (want {SPAN_MIN}-{SPAN_MAX})"
    assert span in cleaned_text(src), f"{qid}: span not found verbatim in cleaned text of {src}: {span!r}"
    if r.get("category") == "comparison":
        assert any(k in span for k in keys), f"{qid}: span contains none of the answer keys {keys}"
    else:
        missing = [k for k in keys if k not in span]
        assert not missing, f"{qid}: answer keys {missing} not in span {span!r}"


@pytest.mark.parametrize("r", ANSWERABLE, ids=_qid)
def test_answerable_city_matches_source(r):
    qid = _qid(r)
    city = r.get("city")
    if r.get("category") == "comparison":
        cities = {SOURCE_CITY.get(s) for s in r.get("sources") or []}
        assert city is None or (cities == {city}), (
            f"{qid}: comparison city must be null unless all sources are about {city!r}")
        return
    assert city in COVERED_CITIES, f"{qid}: city {city!r} is not a covered region"
    assert SOURCE_CITY.get(r.get("source")) == city, (
        f"{qid}: city {city!r} does not match source {r.get('source')} ({SOURCE_CITY.get(r.get('source'))})")


def test_comparison_questions_exist():
    assert len(COMPARISONS) >= CATEGORY_MINIMUMS["comparison"]


@pytest.mark.parametrize("r", COMPARISONS, ids=_qid)
def test_comparison_sources_and_spans(r):
    qid = _qid(r)
    sources, spans = r.get("sources"), r.get("spans")
    assert isinstance(sources, list) and isinstance(spans, list), f"{qid}: needs list fields 'sources' and 'spans'"
    assert len(sources) >= 2, f"{qid}: a comparison needs at least two gold files, got {sources}"
    assert len(sources) == len(spans), f"{qid}: {len(sources)} sources but {len(spans)} spans"
    assert len(set(sources)) == len(sources), f"{qid}: repeated source in {sources}"
    assert sources[0] == r.get("source"), f"{qid}: source must be the first of sources"
    assert spans[0] == r.get("span"), f"{qid}: span must be the first of spans"
    for src, span in zip(sources, spans):
        assert isinstance(src, str) and (SEEDS / src).is_file(), f"{qid}: source {src!r} is not a file in seeds/"
        assert isinstance(span, str) and SPAN_MIN <= len(span) <= SPAN_MAX, (
            f"{qid}: span for {src} must be a {SPAN_MIN}-{SPAN_MAX} char string: {span!r}")
        assert span in cleaned_text(src), f"{qid}: span not found verbatim in cleaned text of {src}: {span!r}"
        assert any(k in span for k in r["answer_keys"]), f"{qid}: span for {src} holds no answer key: {span!r}"
    missing = [k for k in r["answer_keys"] if not any(k in s for s in spans)]
    assert not missing, f"{qid}: answer keys {missing} appear in none of the spans"

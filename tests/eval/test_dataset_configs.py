"""Loading question sets and parsing evaluation configurations: errors name the problem."""
from __future__ import annotations

import json

import pytest

from eval.configs import DEFAULT_CONFIGS, PRESETS, parse_config, parse_configs
from eval.dataset import DEFAULT_QUESTIONS, load_questions
from ingest.errors import ConfigError, InputError

GOOD = {"id": "a", "question": "焦作市农村低保标准？", "answerable": True, "answer_keys": ["4524"],
        "source": "002.txt", "span": "农村最低生活保障年标准提高到4524元", "city": "焦作市", "category": "standard"}


def _write(tmp_path, lines):
    p = tmp_path / "q.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_default_set_loads_and_samples_deterministically():
    qs = load_questions()
    assert qs.path == DEFAULT_QUESTIONS and len(qs.questions) >= 150 and len(qs.sha256) == 64
    small = qs.sample(2)
    assert len(small.questions) == 2 * len(qs.categories)
    assert [q.id for q in small.questions] == [q.id for q in qs.sample(2).questions]
    comparison = next(q for q in qs.questions if q.category == "comparison")
    assert len(comparison.sources) >= 2 and len(comparison.spans) == len(comparison.sources)
    with pytest.raises(InputError, match="--sample"):
        qs.sample(0)


@pytest.mark.parametrize("bad, message", [
    ("{not json", "第 2 行"),
    (json.dumps({**GOOD, "id": "a"}, ensure_ascii=False), "重复的 id"),
    (json.dumps({k: v for k, v in GOOD.items() if k != "answerable"} | {"id": "b"}, ensure_ascii=False), "'answerable'"),
    (json.dumps({**GOOD, "id": "c", "answer_keys": [""]}, ensure_ascii=False), "answer_keys"),
    (json.dumps({**GOOD, "id": "d", "span": None}, ensure_ascii=False), "span"),
    ("[1, 2]", "JSON 对象"),
])
def test_bad_lines_are_reported_with_their_line_number(tmp_path, bad, message):
    path = _write(tmp_path, [json.dumps(GOOD, ensure_ascii=False), bad])
    with pytest.raises(InputError, match=message) as exc:
        load_questions(path)
    assert "q.jsonl 第 2 行" in str(exc.value)


def test_missing_empty_and_non_utf8_files(tmp_path):
    with pytest.raises(InputError, match="无法读取"):
        load_questions(tmp_path / "nope.jsonl")
    with pytest.raises(InputError, match="空的"):
        load_questions(_write(tmp_path, [""]))
    p = tmp_path / "gbk.jsonl"
    p.write_bytes(json.dumps(GOOD, ensure_ascii=False).encode("gb18030"))
    with pytest.raises(InputError, match="UTF-8"):
        load_questions(p)


def test_presets_and_custom_configs():
    assert [c.name for c in parse_configs(None)] == list(DEFAULT_CONFIGS)
    lc = PRESETS["langchain"]
    assert lc.recipe == "langchain" and lc.k == 4 and "RecursiveCharacterTextSplitter(4000/200)" in lc.describe()
    c = parse_config("name=minilm,embedder=st:/models/x,mode=dense,k=5,table=off")
    assert (c.name, c.embedder, c.mode, c.k, c.table) == ("minilm", "st:/models/x", "dense", 5, False)
    c = parse_config("recipe=langchain,chunk_size=500,chunk_overlap=50")
    assert c.k == 4 and c.chunk_size == 500 and c.name == "recipe=langchain,chunk_size=500,chunk_overlap=50"


@pytest.mark.parametrize("spec, message", [
    ("fancy", "可选预设：hybrid"),
    ("mode=vector", "Choose from 'hybrid', 'bm25', 'dense'"),
    ("colour=red", "Invalid key 'colour'"),
    ("k=zero", "整数"),
    ("k=0", "k 必须大于 0"),
    ("table=maybe", "on 或 off"),
    ("recipe=llamaindex", "Choose from 'civilqa', 'langchain'"),
    ("recipe=langchain,chunk_size=100,chunk_overlap=100", "必须小于"),
])
def test_bad_config_specs_say_what_is_valid(spec, message):
    with pytest.raises(ConfigError, match=message):
        parse_config(spec)


def test_duplicate_config_names_are_refused():
    with pytest.raises(ConfigError, match="重复"):
        parse_configs(["hybrid", "hybrid"])

"""jieba's word table read on demand (index/jieba_cache.py): the same segmentation as jieba's own."""
from __future__ import annotations

from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """(jieba with its full table, ours read from the copy) with the same added words."""
    import os

    import jieba

    from index import jieba_cache

    old = os.environ.get("CIVILQA_CACHE_DIR")
    os.environ["CIVILQA_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    try:
        first = jieba_cache.fast_tokenizer()  # no copy yet: jieba's full load, then the copy is written
        assert not isinstance(first.FREQ, jieba_cache.LazyFreq)
        assert jieba_cache.cache_path(first).is_file()
        lazy = jieba_cache.fast_tokenizer()
    finally:
        if old is None:
            os.environ.pop("CIVILQA_CACHE_DIR")
        else:
            os.environ["CIVILQA_CACHE_DIR"] = old
    assert isinstance(lazy.FREQ, jieba_cache.LazyFreq) and not lazy.FREQ.loaded
    full = jieba.Tokenizer()
    full.initialize()
    for seg in (full, lazy):
        seg.add_word("特困供养", freq=20000)
        seg.add_word("焦作日报民政专版", freq=20000)
    return full, lazy


def _lines(limit: int = 400) -> list[str]:
    out = []
    for f in sorted(SEEDS.glob("*.txt")):
        out += [ln for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()][:limit // 5]
    return out


def test_lazy_table_segments_exactly_like_jieba(pair):
    full, lazy = pair
    lines = _lines() + ["焦作市农村最低生活保障年标准是多少？", "洛阳孤儿一个月给多少钱", "特困供养谁能申请",
                        "焦作日报民政专版", "😀 ABC 123 ４５２４"]
    for line in lines:
        assert list(lazy.cut_for_search(line)) == list(full.cut_for_search(line)), line
        assert list(lazy.cut(line)) == list(full.cut(line)), line
    assert lazy.total == full.total
    assert not lazy.FREQ.loaded  # a few hundred lines: still read on demand


def test_many_lookups_load_the_whole_table_once_and_keep_added_words(pair, monkeypatch):
    from index import jieba_cache

    full, lazy = pair
    monkeypatch.setattr(jieba_cache, "FULL_AFTER", 50)
    text = "".join(_lines(100))
    assert list(lazy.cut_for_search(text)) == list(full.cut_for_search(text))
    assert lazy.FREQ.loaded
    assert lazy.FREQ["特困供养"] == 20000 and "焦作日报民政专" in lazy.FREQ
    assert list(lazy.cut("焦作日报民政专版特困供养")) == list(full.cut("焦作日报民政专版特困供养"))


def test_unwritable_cache_folder_falls_back_to_jieba(tmp_path, monkeypatch):
    from index import jieba_cache

    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("CIVILQA_CACHE_DIR", str(blocker / "sub"))  # a folder under a file: cannot exist
    seg = jieba_cache.fast_tokenizer()
    assert not isinstance(seg.FREQ, jieba_cache.LazyFreq) and seg.lcut("农村低保")

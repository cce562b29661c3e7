"""Incremental ingest over Word, PDF, HTML and text sources: unchanged files are neither read nor
embedded, changed files are replaced, removed files are dropped, and no chunk of an old version
can be retrieved afterwards (BM25, dense, and the Assistant's answers, after reload)."""
from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

import index.builder as builder
from index import store, tokenize
from index.builder import build_index, remove_sources
from index.hybrid import HybridSearcher
from ingest.errors import CivilQAError, IndexStoreError, InputError
from kb_samples import DOCX_ITEMS, make_docx, make_html, make_pdf

A_TXT = "温县民政局2020年工作简报\n\n温县2020年火化率达到100%，新建农村幸福院12所。"
NAMES = ["a.txt", "jz.docx", "lh.html", "ly.pdf"]


def _sources(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(A_TXT, encoding="utf-8")
    make_docx(folder / "jz.docx")
    make_html(folder / "lh.html")
    make_pdf(folder / "ly.pdf")
    return folder


@pytest.fixture(scope="module")
def base(tmp_path_factory, embedder) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("incr")
    src = _sources(root / "src")
    idx = root / "idx"
    report = build_index([src], idx, embedder)
    assert report.errors == [] and sorted(report.added) == NAMES and report.embedded == report.chunks
    return src, idx


@pytest.fixture()
def kb(base, tmp_path, embedder) -> tuple[Path, Path]:
    """A private copy (sources and index); the index re-synced so that it records the copy's paths."""
    src, idx = base
    shutil.copytree(src, tmp_path / "src")
    shutil.copytree(idx, tmp_path / "idx")
    report = build_index([tmp_path / "src"], tmp_path / "idx", embedder)
    assert report.embedded == 0 and sorted(report.unchanged) == NAMES
    return tmp_path / "src", tmp_path / "idx"


def _state(root: Path):
    return (root / "CURRENT").read_text(encoding="utf-8"), len(store.load(root).chunks)


def _no_chunk_says(index, needle: str, source: str | None = None) -> None:
    for c in index.chunks:
        if source is None or c.source == source:
            assert needle not in c.text, (c.source, c.text)


def _hits(index, embedder, query: str, mode: str):
    return HybridSearcher(index, embedder, mode=mode, k=20)(query)


# -- what the manifest and documents record -------------------------------------------------------

def test_manifest_records_format_extent_sidecar_parser_and_paths(kb):
    src, root = kb
    index = store.load(root)
    m = index.manifest
    assert list(m["sources"]) == NAMES
    assert {s: e["format"] for s, e in m["sources"].items()} == {
        "a.txt": "txt", "jz.docx": "docx", "lh.html": "html", "ly.pdf": "pdf"}
    assert m["sources"]["ly.pdf"]["pages"] == 3 and m["sources"]["jz.docx"]["paragraphs"] == 6
    assert all(e["parser"] == builder.parser_fingerprint() and e["sidecar"] == {} for e in m["sources"].values())
    assert m["files"] == {s: str((src / s).resolve()) for s in NAMES}
    assert index.documents["ly.pdf"]["locations"]["unit"] == "page"
    assert "locations" not in index.documents["a.txt"]
    for c in index.chunks:
        assert index.documents[c.source]["text"][c.start:c.end] == c.text
    assert index.faiss_index.ntotal == len(index.chunks)


# -- unchanged, changed, removed -----------------------------------------------------------------------

def test_unchanged_files_are_neither_parsed_nor_embedded(kb, embedder, monkeypatch):
    src, root = kb
    old = store.load(root)
    parsed = []
    real = builder.process_file
    monkeypatch.setattr(builder, "process_file", lambda path, *a, **k: parsed.append(path.name) or real(path, *a, **k))
    report = build_index([src], root, embedder)
    assert parsed == [] and report.embedded == 0 and report.reused == len(old.chunks)
    assert sorted(report.unchanged) == NAMES and report.added == report.changed == report.removed == []
    new = store.load(root)
    assert new.generation != old.generation
    assert [c.id for c in new.chunks] == [c.id for c in old.chunks]
    assert np.array_equal(new.vectors(), old.vectors())
    assert new.documents == old.documents


def test_changed_docx_replaces_every_old_chunk(kb, embedder, monkeypatch):
    src, root = kb
    old = store.load(root)
    items = [(k, v.replace("4524", "4610") if isinstance(v, str) else v) for k, v in DOCX_ITEMS]
    make_docx(src / "jz.docx", items)
    parsed = []
    real = builder.process_file
    monkeypatch.setattr(builder, "process_file", lambda path, *a, **k: parsed.append(path.name) or real(path, *a, **k))
    report = build_index([src], root, embedder)
    assert parsed == ["jz.docx"] and report.changed == ["jz.docx"] and sorted(report.unchanged) == sorted(
        set(NAMES) - {"jz.docx"})
    # only the chunk whose text changed is embedded; the docx's other chunks reuse their vectors
    assert report.embedded == 1 and report.reused == len(old.chunks) - 1
    new = store.load(root)
    _no_chunk_says(new, "4524")
    assert "4524" not in new.documents["jz.docx"]["text"]
    assert new.manifest["sources"]["jz.docx"]["sha256"] != old.manifest["sources"]["jz.docx"]["sha256"]
    for mode in ("bm25", "dense", "hybrid"):
        hits = _hits(new, embedder, "焦作市农村最低生活保障年标准提高到每人每年4524元", mode)
        assert hits and not any("4524" in h.chunk.text for h in hits)
    top = _hits(new, embedder, "焦作市农村最低生活保障年标准", "hybrid")[0].chunk
    assert top.source == "jz.docx" and "4610" in top.text and top.meta["paragraph"] == 4


def test_file_gone_from_the_folder_is_dropped(kb, embedder):
    src, root = kb
    (src / "lh.html").unlink()
    report = build_index([src], root, embedder)
    assert report.removed == ["lh.html"] and report.embedded == 0
    new = store.load(root)
    assert "lh.html" not in new.documents and "lh.html" not in new.manifest["sources"]
    assert "lh.html" not in new.manifest["files"]
    assert not any(c.source == "lh.html" for c in new.chunks)
    for mode in ("bm25", "dense"):
        assert not any(h.chunk.source == "lh.html" for h in _hits(new, embedder, "漯河市特困人员5200人", mode))


def test_file_that_became_unreadable_is_dropped_and_named(kb, embedder):
    src, root = kb
    data = (src / "ly.pdf").read_bytes()
    (src / "ly.pdf").write_bytes(data[: len(data) // 2])
    report = build_index([src], root, embedder)
    assert report.removed == ["ly.pdf"] and len(report.errors) == 1 and "ly.pdf" in report.errors[0]
    assert not any(c.source == "ly.pdf" for c in store.load(root).chunks)


def test_add_mode_keeps_the_other_files(kb, embedder, tmp_path):
    src, root = kb
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "b.md").write_text("# 洛阳市养老服务\n\n洛阳市新增养老床位1685张。", encoding="utf-8")
    report = build_index([extra / "b.md"], root, embedder, mode="add")
    assert report.added == ["b.md"] and sorted(report.kept) == NAMES and report.removed == []
    index = store.load(root)
    assert list(index.manifest["sources"]) == NAMES + ["b.md"]
    assert index.manifest["files"]["b.md"] == str((extra / "b.md").resolve())
    # a plain ingest of the folder makes the index reflect the folder again
    assert build_index([src], root, embedder).removed == ["b.md"]


def test_refresh_rereads_the_recorded_files(kb, embedder):
    src, root = kb
    (src / "a.txt").write_text(A_TXT.replace("12所", "15所"), encoding="utf-8")
    (src / "lh.html").unlink()
    report = build_index(None, root, embedder, mode="refresh")
    assert report.changed == ["a.txt"] and report.removed == ["lh.html"]
    assert any("lh.html" in e and "找不到文件" in e for e in report.errors)
    index = store.load(root)
    _no_chunk_says(index, "12所")
    assert any("15所" in c.text for c in index.chunks)


def test_a_sidecar_change_reparses_an_unchanged_file(kb, embedder):
    src, root = kb
    (src / "metadata.json").write_text(json.dumps({"lh.html": {"year": 2019}}), encoding="utf-8")
    report = build_index([src], root, embedder)
    assert report.changed == ["lh.html"] and len(report.unchanged) == 3
    index = store.load(root)
    assert index.documents["lh.html"]["meta"]["year"] == 2019
    assert {c.meta["year"] for c in index.chunks if c.source == "lh.html"} == {2019}
    assert index.manifest["sources"]["lh.html"]["sidecar"] == {"year": 2019}


def test_new_parser_code_reparses_everything(kb, embedder, monkeypatch):
    src, root = kb
    monkeypatch.setattr(builder, "parser_fingerprint", lambda: "another-version")
    report = build_index([src], root, embedder)
    assert sorted(report.changed) == NAMES and report.embedded == 0  # same text: vectors reused


# -- remove -----------------------------------------------------------------------------------------

def test_remove_sources_drops_only_them_and_keeps_the_other_vectors(kb, embedder):
    src, root = kb
    old = store.load(root)
    report = remove_sources(root, ["ly.pdf", str(src / "lh.html")])
    assert report.removed == ["ly.pdf", "lh.html"] and report.kept == ["a.txt", "jz.docx"]
    new = store.load(root)
    assert list(new.manifest["sources"]) == ["a.txt", "jz.docx"]
    assert set(new.manifest["files"]) == {"a.txt", "jz.docx"}
    kept = [i for i, c in enumerate(old.chunks) if c.source in ("a.txt", "jz.docx")]
    assert [c.id for c in new.chunks] == [old.chunks[i].id for i in kept]
    assert np.array_equal(new.vectors(), old.vectors()[kept])
    assert (src / "ly.pdf").is_file()  # the index forgets it; the file is not touched
    for mode in ("bm25", "dense"):
        for q in ("洛阳市散居孤儿保障标准每人每月700元", "漯河市特困人员5200人"):
            assert not any(h.chunk.source in ("ly.pdf", "lh.html") for h in _hits(new, embedder, q, mode))


def test_remove_unknown_or_everything_is_refused_and_changes_nothing(kb):
    _, root = kb
    before = _state(root)
    with pytest.raises(InputError, match="nothere.pdf"):
        remove_sources(root, ["jz.docx", "nothere.pdf"])
    with pytest.raises(InputError, match="全部文件"):
        remove_sources(root, NAMES)
    assert _state(root) == before


# -- one writer at a time ---------------------------------------------------------------------------------

def test_every_writer_is_refused_while_another_holds_the_lock(kb, embedder):
    src, root = kb
    before = _state(root)
    with store.ingest_lock(root):
        for write in (lambda: build_index([src], root, embedder),
                      lambda: build_index([src / "a.txt"], root, embedder, mode="add"),
                      lambda: build_index(None, root, embedder, mode="refresh"),
                      lambda: remove_sources(root, ["a.txt"])):
            with pytest.raises(IndexStoreError) as info:
                write()
            assert "另一个入库任务正在进行" in str(info.value) and str(root) in str(info.value)
        assert _state(root) == before  # and readers still read
    assert remove_sources(root, ["a.txt"]).removed == ["a.txt"]  # released


# -- the running assistant -------------------------------------------------------------------------------

def test_assistant_cites_pages_and_paragraphs(kb, embedder):
    from assistant.chain import Assistant

    _, root = kb
    a = Assistant(root, embedder)
    out = a.ask("洛阳市散居孤儿基本生活保障标准是多少？").to_dict()
    c = out["citations"][0]
    assert "700" in out["answer"] and c["source"] == "ly.pdf" and c["page"] == 2 and "paragraph" not in c
    doc = a.document_text("ly.pdf")
    assert doc[c["start"]:c["end"]] == c["text"]
    out = a.ask("焦作市分散供养标准是多少？").to_dict()
    c = out["citations"][0]
    assert "5880" in out["answer"] and c["source"] == "jz.docx" and c["paragraph"] == 6 and "page" not in c
    out = a.ask("温县2020年火化率是多少？").to_dict()
    c = out["citations"][0]
    assert c["source"] == "a.txt" and "page" not in c and "paragraph" not in c


def test_assistant_reload_after_replace_and_delete(kb, embedder):
    from assistant.chain import Assistant

    src, root = kb
    a = Assistant(root, embedder)
    q = "焦作市农村最低生活保障年标准是多少？"
    assert "4524" in a.ask(q).answer
    items = [(k, v.replace("4524", "4610") if isinstance(v, str) else v) for k, v in DOCX_ITEMS]
    make_docx(src / "jz.docx", items)
    build_index([src], root, embedder)
    assert "4524" in a.ask(q).answer  # still the loaded generation until reload
    assert a.reload() is True and a.reload() is False
    out = a.ask(q)
    assert "4610" in out.answer and "4524" not in out.answer
    assert all("4524" not in c.text for c in out.citations)
    remove_sources(root, ["jz.docx"])
    a.reload()
    out = a.ask(q)
    assert not any(c.source == "jz.docx" for c in out.citations) and "4610" not in out.answer
    assert "jz.docx" not in [d["source"] for d in a.documents()]
    with pytest.raises(CivilQAError):
        a.document_text("jz.docx")


def test_questions_during_reloads_always_get_a_consistent_answer(kb, embedder):
    from assistant.chain import Assistant

    src, root = kb
    a = Assistant(root, embedder)
    errors: list[BaseException] = []
    answers: list[str] = []
    stop = threading.Event()

    def asker():
        while not stop.is_set():
            try:
                answers.append(a.ask("漯河市特困人员有多少人？").answer)
            except BaseException as exc:  # noqa: BLE001 - collected and re-raised below
                errors.append(exc)

    threads = [threading.Thread(target=asker) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for _ in range(2):
            remove_sources(root, ["lh.html"])
            a.reload()
            build_index([src], root, embedder)  # lh.html back (its vectors are no longer cached: re-embedded)
            a.reload()
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []  # no question ever saw half an old and half a new index
    assert answers and all("5200" in s or s.startswith("资料中没有") for s in answers)
    assert any("5200" in s for s in answers)


def test_an_index_built_before_a_user_word_was_added_is_not_current(kb, tmp_path, monkeypatch, embedder):
    """The manifest's tokenizer carries a digest of the tokenizer's data files: a user word added
    after the build makes the index's BM25 stale, and the next build makes it current again
    without embedding anything."""
    src, idx = kb
    assert builder.is_current([src], idx, embedder.id)
    data = tmp_path / "tokenizer-data"
    shutil.copytree(tokenize.DATA, data)
    with (data / "user_words.txt").open("a", encoding="utf-8") as f:
        f.write("\n农村幸福院\n")
    monkeypatch.setattr(tokenize, "DATA", data)
    assert not builder.is_current([src], idx, embedder.id)
    report = build_index([src], idx, embedder)
    assert report.embedded == 0
    assert builder.is_current([src], idx, embedder.id)
    assert store.read_manifest(idx)[1]["tokenizer"].startswith(builder.TOKENIZER + "@")

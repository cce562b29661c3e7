"""The document collections the evaluation sets are asked over, written where the indexer reads them.

- **newdocs**: ``eval/newdocs/docs/`` (our own writing, committed) plus the Word files described
  in ``eval/newdocs/sources/*.docx.json``, which are generated with python-docx into the cache
  (``.civilqa/eval-corpus/newdocs-generated/``) so that no binary file sits in the repository.
- **holdout**: ``eval/holdout/`` in the same layout: documents and questions written by someone
  who did not change the answerer, kept for measuring only (never tuned on; since studied).
- **holdout2**: ``eval/holdout2/`` in the same layout: 12 more written documents of other regions,
  measured before anyone studied them (since studied).
- **holdout3**: ``eval/holdout3/`` in the same layout: 12 more written documents of regions none
  of the collections above names, measured once before anyone studied them (since studied).
- **holdout4**: ``eval/holdout4/`` in the same layout: 12 more written documents of regions none
  of the collections above names, measured only.
- **holdout5**: ``eval/holdout5/`` in the same layout: 12 more written documents of regions none
  of the collections above names, measured once, never tuned on.
- **holdout6**: ``eval/holdout6/`` in the same layout: 12 more written documents of regions none
  of the collections above names, measured once, never tuned on.
- **holdout7**: ``eval/holdout7/`` in the same layout: 12 more written documents of regions none
  of the collections above names, measured once, never tuned on.
- **holdout8**: ``eval/holdout8/`` in the same layout: 12 more written documents of regions none
  of the collections above names, measured once, then studied (session 12).
- **holdout9**: ``eval/holdout9/`` in the same layout: 12 more written documents of regions none
  of the collections above names, measured clean once, then studied (session 12).
- **holdout10**: ``eval/holdout10/`` in the same layout: 12 more written documents of regions none
  of the collections above names, written blind in session 13 and measured clean once, then studied.
- **holdout11**: ``eval/holdout11/`` in the same layout: 12 more written documents of regions none
  of the collections above names, written blind in session 14 and measured clean once.
- **holdout12**: ``eval/holdout12/`` in the same layout: 12 more written documents of regions none
  of the collections above names, written blind in session 15 and measured clean once, then studied.
- **holdout13**: ``eval/holdout13/`` in the same layout: 12 more written documents of regions none
  of the collections above names, written blind in session 16 and measured clean once.
- **news**: the 58 real news items of ``../shared/corpus/news/`` (``news_001.txt`` …), copied
  into ``.civilqa/eval-corpus/news/`` for indexing, never into the repository; the questions,
  written on them by the team, are ``eval/news/questions.jsonl``.
- **news20k**: the items of ``../shared/corpus/news-20k/news-20k.jsonl.gz`` listed by id in
  ``eval/news20k/items.json`` (civil-affairs items the questions ask about: role ``civil`` for
  ``test.jsonl``, ``civil2`` for ``test2.jsonl``, ``civil3`` for ``test3.jsonl``, ``civil4`` for ``test4.jsonl``, ``civil5`` for ``test5.jsonl``, ``civil6`` for ``test6.jsonl``, ``civil7`` for ``test7.jsonl``; and distractors
  chosen by a fixed seed), one
  ``<sanitised id>.txt`` each in ``.civilqa/eval-corpus/news20k/``.
  The repository keeps only the ids; the text is read from ``../shared`` at eval time.
- **ncp**: the 599 documents of ``../shared/benchmarks/ncppolicies/docs.jsonl``, one
  ``<docid>.txt`` each, in ``.civilqa/eval-corpus/ncp/``. They are read from ``../shared`` and
  never copied into the repository.

A file is (re)written only when its content differs, through a temporary file and ``os.replace``,
so repeated runs leave sha256s, and therefore the index, unchanged.
"""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

from ingest.atomic import write_bytes_atomic
from ingest.errors import InputError
from ingest.settings import default_index_dir, settings

ROOT = Path(__file__).resolve().parents[1]
NEWDOCS = ROOT / "eval" / "newdocs"
HOLDOUT = ROOT / "eval" / "holdout"
HOLDOUT2 = ROOT / "eval" / "holdout2"
HOLDOUT3 = ROOT / "eval" / "holdout3"
HOLDOUT4 = ROOT / "eval" / "holdout4"
HOLDOUT5 = ROOT / "eval" / "holdout5"
HOLDOUT6 = ROOT / "eval" / "holdout6"
HOLDOUT7 = ROOT / "eval" / "holdout7"
HOLDOUT8 = ROOT / "eval" / "holdout8"
HOLDOUT9 = ROOT / "eval" / "holdout9"
HOLDOUT10 = ROOT / "eval" / "holdout10"
HOLDOUT11 = ROOT / "eval" / "holdout11"
HOLDOUT12 = ROOT / "eval" / "holdout12"
HOLDOUT13 = ROOT / "eval" / "holdout13"
NCP_DEFAULT = ROOT.parent / "shared" / "benchmarks" / "ncppolicies"
NEWS = ROOT / "eval" / "news"  # the questions; the documents are read from ../shared
NEWS_DEFAULT = ROOT.parent / "shared" / "corpus" / "news"
MAX_NEWS_DOC_BYTES = 100_000
NEWS20K = ROOT / "eval" / "news20k"  # items.json (ids and roles) and the questions
NEWS20K_DEFAULT = ROOT.parent / "shared" / "corpus" / "news-20k" / "news-20k.jsonl.gz"
NEWS20K_ROLES = ("civil", "civil2", "civil3", "civil4", "civil5", "civil6", "civil7",
                 "distractor")  # civil: test.jsonl asks about them; civil2: test2.jsonl; ... civil7: test7.jsonl
MAX_NEWS20K_ITEMS = 1_000  # ids listed in items.json
MAX_NEWS20K_ITEM_CHARS = 20_000  # one item; the corpus keeps ~500-1,200 characters of each article
MAX_NEWS20K_LINES = 100_000  # lines read from the corpus file (it has 19,853)
MAX_NCP_DOC_CHARS = 200_000  # a single policy document; the release's longest is far below this
MAX_NCP_DOCS = 5_000


def cache_root() -> Path:
    """``.civilqa/eval-corpus`` beside the product index (gitignored)."""
    return default_index_dir().parent / "eval-corpus"


def ncp_dir() -> Path:
    return settings().ncp_dir or NCP_DEFAULT  # CIVILQA_NCP_DIR


def _write_if_changed(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_bytes_atomic(path, data)
    return True


def _mirror(out: Path, files: dict[str, bytes]) -> list[Path]:
    """``out`` holding exactly ``files`` (name -> bytes) as .txt files: changed ones rewritten,
    others gone; the folder list for the indexer."""
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        _write_if_changed(out / name, data)
    for stale in out.glob("*.txt"):
        if stale.name not in files:
            stale.unlink()
    return [out]


def _docx_bytes(spec: dict[str, Any], where: str) -> bytes:
    """A .docx from ``{"title", "blocks": [{"p": text} | {"table": [[cell, ...], ...]}]}``."""
    import datetime
    import io
    import zipfile

    import docx

    if not isinstance(spec.get("title"), str) or not isinstance(spec.get("blocks"), list):
        raise InputError(f"{where}：需要 title（字符串）和 blocks（列表）（needs title and blocks）")
    d = docx.Document()
    d.add_heading(spec["title"], level=1)
    for n, block in enumerate(spec["blocks"], 1):
        if isinstance(block, dict) and isinstance(block.get("p"), str):
            d.add_paragraph(block["p"])
        elif isinstance(block, dict) and isinstance(block.get("table"), list) and block["table"]:
            rows = block["table"]
            width = len(rows[0])
            if not all(isinstance(r, list) and len(r) == width for r in rows):
                raise InputError(f"{where}：第 {n} 块表格各行列数不一致（table rows differ in length）")
            table = d.add_table(rows=len(rows), cols=width)
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = str(cell)
        else:
            raise InputError(f"{where}：第 {n} 块应为 {{\"p\": 文字}} 或 {{\"table\": 行列表}}（bad block）")
    fixed = datetime.datetime(2024, 1, 1)  # python-docx stamps "now": keep the bytes reproducible
    d.core_properties.created = d.core_properties.modified = d.core_properties.last_printed = fixed
    buf = io.BytesIO()
    d.save(buf)
    out = io.BytesIO()  # re-pack with fixed member times (zipfile stamps the clock too)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=fixed.timetuple()[:6]), src.read(info))
    return out.getvalue()


def _collection_paths(base: Path, generated: str, root: Path | None) -> list[Path]:
    """``base/docs`` plus the Word files of ``base/sources/*.docx.json`` generated into the cache."""
    out = (root or cache_root()) / generated
    out.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for src in sorted((base / "sources").glob("*.docx.json")):
        try:
            spec = json.loads(src.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"无法读取文档描述 {src}：{exc}（cannot read document source）") from exc
        name = src.name[: -len(".json")]
        wanted.add(name)
        _write_if_changed(out / name, _docx_bytes(spec, str(src)))
    for stale in out.glob("*.docx"):
        if stale.name not in wanted:
            stale.unlink()
    return [base / "docs", out]


def newdocs_paths(root: Path | None = None) -> list[Path]:
    """Folders holding the new-documents collection (generated files written first)."""
    return _collection_paths(NEWDOCS, "newdocs-generated", root)


def holdout_paths(root: Path | None = None) -> list[Path]:
    """The held-out collection (``eval/holdout/``): measured on, never tuned on."""
    return _collection_paths(HOLDOUT, "holdout-generated", root)


def holdout2_paths(root: Path | None = None) -> list[Path]:
    """The second held-out collection (``eval/holdout2/``): measured on, never tuned on."""
    return _collection_paths(HOLDOUT2, "holdout2-generated", root)


def holdout3_paths(root: Path | None = None) -> list[Path]:
    """The third held-out collection (``eval/holdout3/``): measured on, never tuned on."""
    return _collection_paths(HOLDOUT3, "holdout3-generated", root)


def holdout4_paths(root: Path | None = None) -> list[Path]:
    """The fourth held-out collection (``eval/holdout4/``): measured on, never tuned on."""
    return _collection_paths(HOLDOUT4, "holdout4-generated", root)


def holdout5_paths(root: Path | None = None) -> list[Path]:
    """The fifth held-out collection (``eval/holdout5/``): measured on, never tuned on."""
    return _collection_paths(HOLDOUT5, "holdout5-generated", root)


def holdout6_paths(root: Path | None = None) -> list[Path]:
    """The sixth held-out collection (``eval/holdout6/``): measured on, never tuned on."""
    return _collection_paths(HOLDOUT6, "holdout6-generated", root)


def holdout7_paths(root: Path | None = None) -> list[Path]:
    """The seventh held-out collection (``eval/holdout7/``): measured on, never tuned on."""
    return _collection_paths(HOLDOUT7, "holdout7-generated", root)


def holdout8_paths(root: Path | None = None) -> list[Path]:
    """The eighth held-out collection (``eval/holdout8/``): measured clean in session 10, studied in session 12."""
    return _collection_paths(HOLDOUT8, "holdout8-generated", root)


def holdout9_paths(root: Path | None = None) -> list[Path]:
    """The ninth held-out collection (``eval/holdout9/``): measured clean in session 12, then studied."""
    return _collection_paths(HOLDOUT9, "holdout9-generated", root)


def holdout10_paths(root: Path | None = None) -> list[Path]:
    """The tenth held-out collection (``eval/holdout10/``): written blind and measured clean in session 13."""
    return _collection_paths(HOLDOUT10, "holdout10-generated", root)


def holdout11_paths(root: Path | None = None) -> list[Path]:
    """The eleventh held-out collection (``eval/holdout11/``): written blind and measured clean in session 14."""
    return _collection_paths(HOLDOUT11, "holdout11-generated", root)


def holdout12_paths(root: Path | None = None) -> list[Path]:
    """The twelfth held-out collection (``eval/holdout12/``): written blind and measured clean in session 15."""
    return _collection_paths(HOLDOUT12, "holdout12-generated", root)


def holdout13_paths(root: Path | None = None) -> list[Path]:
    """The thirteenth held-out collection (``eval/holdout13/``): written blind and measured clean in session 16."""
    return _collection_paths(HOLDOUT13, "holdout13-generated", root)


def news_dir() -> Path:
    return settings().news_dir or NEWS_DEFAULT  # CIVILQA_NEWS_DIR


def news_paths(root: Path | None = None, base: Path | None = None) -> list[Path]:
    """The real news items, copied (when changed) from ``../shared/corpus/news`` into the cache."""
    src = base or news_dir()
    files = sorted(src.glob("news_*.txt"))
    if not files:
        raise InputError(f"{src} 中没有 news_*.txt（设置 CIVILQA_NEWS_DIR 指向新闻语料目录）")
    for f in files:
        if f.stat().st_size > MAX_NEWS_DOC_BYTES:
            raise InputError(f"{f.name} 超过 {MAX_NEWS_DOC_BYTES} 字节上限")
    return _mirror((root or cache_root()) / "news", {f.name: f.read_bytes() for f in files})


def news20k_file_name(item_id: str) -> str:
    """``documents_dup_part_9_part_1:114`` -> ``documents_dup_part_9_part_1_114.txt``: the file the
    questions name as ``source``."""
    return re.sub(r"[^0-9A-Za-z]+", "_", item_id).strip("_") + ".txt"


def news20k_items(base: Path | None = None) -> dict[str, str]:
    """id -> role (``civil``, ``civil2`` … ``civil7`` or ``distractor``) from ``items.json``, checked: roles, unique
    ids and file names, count."""
    path = (base or NEWS20K) / "items.json"
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
        rows = obj["items"]
        if not isinstance(rows, list):
            raise TypeError("items 应为列表")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InputError(f"无法读取条目清单 {path}：{exc}（needs {{\"items\": [{{\"id\", \"role\"}}]}}）") from exc
    if len(rows) > MAX_NEWS20K_ITEMS:
        raise InputError(f"{path.name}：条目数 {len(rows)} 超过 {MAX_NEWS20K_ITEMS} 上限")
    items: dict[str, str] = {}
    names: set[str] = set()
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict) or not isinstance(row.get("id"), str) or row.get("role") not in NEWS20K_ROLES:
            raise InputError(f"{path.name} 第 {n} 个条目：需要 id（字符串）和 role（{'、'.join(NEWS20K_ROLES)}）")
        name = news20k_file_name(row["id"])
        if row["id"] in items or name in names:
            raise InputError(f"{path.name} 第 {n} 个条目：{row['id']} 重复（duplicate id）")
        items[row["id"]] = row["role"]
        names.add(name)
    if not items:
        raise InputError(f"{path} 中没有条目（empty）")
    return items


def news20k_texts(ids: set[str], corpus: Path | None = None) -> dict[str, str]:
    """id -> text of ``ids`` from the news-20k corpus file (gzip JSON lines ``{"id", "text"}``);
    a missing file or id, an oversized item or an unreadable line is an ``InputError``."""
    path = corpus or NEWS20K_DEFAULT
    out: dict[str, str] = {}
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if n > MAX_NEWS20K_LINES:
                    raise InputError(f"{path.name}：超过 {MAX_NEWS20K_LINES} 行上限")
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                    item_id, text = obj["id"], obj["text"]
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    raise InputError(f"{path.name} 第 {n} 行：需要 id 和 text（{exc}）") from exc
                if item_id in ids:
                    if not isinstance(text, str) or len(text) > MAX_NEWS20K_ITEM_CHARS:
                        raise InputError(f"{path.name} 第 {n} 行：条目 {item_id} 超过 {MAX_NEWS20K_ITEM_CHARS} 字上限或不是文字")
                    out[item_id] = text
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取 news-20k 语料 {path}：{exc}（应位于 ../shared/corpus/news-20k/news-20k.jsonl.gz）") from exc
    missing = sorted(ids - out.keys())
    if missing:
        raise InputError(f"{path.name} 中没有条目：{'、'.join(missing[:5])}（共 {len(missing)} 个；items.json 与语料不符）")
    return out


def news20k_paths(root: Path | None = None, corpus: Path | None = None, base: Path | None = None) -> list[Path]:
    """The listed news-20k items, written (when changed) into the cache, one .txt each."""
    texts = news20k_texts(set(news20k_items(base)), corpus)
    return _mirror((root or cache_root()) / "news20k",
                   {news20k_file_name(i): t.encode("utf-8") for i, t in texts.items()})


def ncp_documents(base: Path | None = None) -> dict[str, str]:
    """docid -> text, from the benchmark's ``docs.jsonl`` (bounded: count and size per document)."""
    path = (base or ncp_dir()) / "docs.jsonl"
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取 NCPPolicies 文档 {path}：{exc}（设置 CIVILQA_NCP_DIR 指向该数据集目录）") from exc
    docs: dict[str, str] = {}
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            docid, text = str(obj["docid"]), str(obj["text"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"{path.name} 第 {n} 行：需要 docid 和 text（{exc}）") from exc
        if not docid.replace("-", "").replace("_", "").isalnum():
            raise InputError(f"{path.name} 第 {n} 行：docid {docid!r} 不能用作文件名")
        if len(text) > MAX_NCP_DOC_CHARS:
            raise InputError(f"{path.name} 第 {n} 行：文档 {docid} 超过 {MAX_NCP_DOC_CHARS} 字上限")
        docs[docid] = text
        if len(docs) > MAX_NCP_DOCS:
            raise InputError(f"{path.name}：文档数超过 {MAX_NCP_DOCS} 上限")
    if not docs:
        raise InputError(f"{path} 中没有文档（empty）")
    return docs


def ncp_paths(root: Path | None = None, base: Path | None = None) -> list[Path]:
    docs = ncp_documents(base)
    return _mirror((root or cache_root()) / "ncp", {f"{d}.txt": t.encode("utf-8") for d, t in docs.items()})

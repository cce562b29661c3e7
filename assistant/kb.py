"""Knowledge-base management shared by ``civilqa list/remove/ingest`` and the 知识库管理 tab.

Where files live:

- ``seeds/`` (``CIVILQA_SEEDS_DIR``): the reports shipped with the project; never
  written by the app, except that metadata corrections made in the app are saved
  in ``seeds/metadata.json`` like any other folder's sidecar.
- the managed library (``CIVILQA_LIBRARY_DIR``, default ``library/`` beside the index
  directory, i.e. ``.civilqa/library``): files uploaded in the app. Deleting a
  document in the app or with ``civilqa remove`` also deletes its file here (files
  elsewhere are only dropped from the index, never deleted).

``civilqa ingest`` without paths ingests ``seeds/`` plus the library; with paths, the
index reflects exactly those paths (see ``index.builder``).

Every change of the index goes through ``index.builder`` (one new generation
switched in atomically under the ingest lock); every metadata or library
file is written through a temporary file and ``os.replace``.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any, Callable

from index import store
from index.ann import describe
from index.backend import live_generation, publish
from index.backend import resolve as resolve_backend
from index.builder import build_index, remove_sources
from index.refresh import refresh_artifacts
from ingest.atomic import write_json_atomic
from ingest.errors import CivilQAError, IngestError, InputError
from ingest.loading import MAX_FILE_BYTES
from ingest.metadata import SIDECAR_NAME
from ingest.pipeline import discover, process_file
from ingest.places import find_places, lookup
from ingest.settings import default_seeds_dir, settings
from ingest.suffixes import SUPPORTED_LABEL, SUPPORTED_SUFFIXES

from .artifacts import ARTIFACTS, COPIES, COPIES_ARTIFACT, STANDARDS, load_copies, load_standards  # noqa: F401 (re-exported)

MAX_UPLOAD_BYTES = MAX_FILE_BYTES
MAX_UPLOAD_FILES = 10  # files per upload: each is parsed, and may be embedded, in one request
MAX_NAME_CHARS = 120
YEAR_RANGE = (1949, 2100)
Progress = Callable[[str, int, int], None]


# -- where things are -------------------------------------------------------------------

def library_dir(index_dir: Path | None = None) -> Path:
    return settings().library_path(index_dir)


def default_sources(index_dir: Path | None = None) -> list[Path]:
    """What ``civilqa ingest`` reads without arguments: seeds/ and the library (if it has files)."""
    out = [default_seeds_dir()]
    lib = library_dir(index_dir)
    if lib.is_dir() and discover([lib]):
        out.append(lib)
    return out


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def ensure_index(index_dir: Path, embedder, seeds: Path | None = None,
                 progress: Progress | None = None, backend: Any = None) -> bool:
    """Build the index from ``seeds/`` (and the managed library, when it has files) when there is
    none yet; True when it built one (an index that is there has its stale artifacts rebuilt). The CLI and the app call it before ``Assistant(...)``, which
    only ever loads an index. With the Milvus backend, an index Milvus already serves is used as it
    is (an app replica never ingests); a local generation Milvus does not have yet is published."""
    backend = resolve_backend(backend)
    index_dir = Path(index_dir)
    if backend.is_milvus and live_generation(index_dir, backend) is not None:
        return False
    if (index_dir / store.CURRENT).exists():
        # an artifact built by older code (its fingerprint differs) is rebuilt alone, from the
        # stored documents: nothing is parsed or embedded again
        refresh_artifacts(index_dir, ARTIFACTS, progress=progress)
        if backend.is_milvus:
            with store.ingest_lock(index_dir):
                publish(index_dir, backend)
        return False  # an index is there; if it is damaged, loading says so (no silent rebuild)
    build_index([seeds] if seeds else default_sources(index_dir), index_dir, embedder,
                progress=progress, artifacts=ARTIFACTS, backend=backend)
    return True


# -- reading the index without loading it ---------------------------------------------------

def read_manifest(root: Path) -> dict[str, Any]:
    """The current manifest (no FAISS, no embedder): fast enough for ``civilqa list``."""
    return store.read_manifest(Path(root), verify=False)[1]


def list_sources(root: Path, library: Path | None = None) -> list[dict[str, Any]]:
    """One row per indexed file: source, format, city, year, title, chunks, pages/paragraphs/rows
    (and sheets), the pages read by OCR (``ocr_pages``), path."""
    manifest = read_manifest(root)
    files = manifest.get("files", {})
    lib = library or library_dir(root)
    rows = []
    for source, e in manifest["sources"].items():
        path = files.get(source)
        rows.append({"source": source, "format": e.get("format") or Path(source).suffix.lstrip("."),
                     "city": e.get("city"), "year": e.get("year"), "title": e.get("title"),
                     "chunks": e.get("chunks", 0), "chars": e.get("chars"), "pages": e.get("pages"),
                     "paragraphs": e.get("paragraphs"), "rows": e.get("rows"), "sheets": e.get("sheets"),
                     "ocr_pages": e.get("ocr_pages") or [], "sha256": e.get("sha256"), "path": path,
                     "in_library": bool(path) and _inside(Path(path), lib)})
    return rows


def vector_index_summary(root: Path) -> str:
    """Which vector index the current generation uses, with its parameters and recall@10."""
    return describe(read_manifest(root).get("vector_index"))


# -- uploads ------------------------------------------------------------------------------------

def too_large(name: str, size: int | str) -> str:
    """The refusal of a file over ``MAX_UPLOAD_BYTES``, the same wherever it is refused (here, and
    in the page before an upload starts: ui.kb_tab's script fills in ``name`` and ``size``)."""
    return (f"文件过大：{name} 为 {size} 字节，上限 {MAX_UPLOAD_BYTES} 字节（{MAX_UPLOAD_BYTES // (1024 * 1024)} MB；"
            f"file too large）")


def check_upload(name: str, size: int) -> str:
    """Validate an upload's name and size before anything is read; returns the safe file name."""
    raw = name or ""
    safe = Path(raw.replace("\\", "/")).name.strip()
    if not safe or safe.startswith((".", "~$")) or any(unicodedata.category(ch) == "Cc" for ch in safe):
        raise InputError(f"文件名无效：{raw!r}（不能为空、不能以 . 或 ~$ 开头、不能含控制字符；invalid file name）")
    if len(safe) > MAX_NAME_CHARS:
        raise InputError(f"文件名过长：{safe[:40]}…（{len(safe)} 个字符，上限 {MAX_NAME_CHARS}；file name too long）")
    if Path(safe).suffix.lower() not in SUPPORTED_SUFFIXES or safe == SIDECAR_NAME:
        raise InputError(f"不支持的文件类型：{safe}（支持 {SUPPORTED_LABEL}；unsupported file type）")
    if size > MAX_UPLOAD_BYTES:
        raise InputError(too_large(safe, size))
    if size == 0:
        raise InputError(f"文件为空：{safe}（empty file）")
    return safe


def add_files(index_dir: Path, uploads: list[tuple[Path, str]], embedder, *, library: Path | None = None,
              progress: Progress | None = None):
    """Put uploaded files into the library and add them to the index (``mode="add"``).

    ``uploads`` are (temporary path, original file name). Names, types and sizes are
    checked first, then each file is parsed once in a staging folder: a file that
    cannot be read is reported by name and never enters the library. A file with
    the name of one already in the library replaces it (its new version is indexed,
    the old one's chunks are dropped). Returns (BuildReport, errors of refused files).
    """

    index_dir = Path(index_dir)
    lib = library or library_dir(index_dir)
    checked = _check_uploads(index_dir, uploads, lib)
    lib.mkdir(parents=True, exist_ok=True)
    _drop_stale_staging(lib)
    staging = Path(tempfile.mkdtemp(dir=lib, prefix=".staging-"))
    try:
        placed, replaced, errors = _place(checked, staging, lib, progress)
        try:
            report = build_index(placed, index_dir, embedder, mode="add", progress=progress,
                                 artifacts=ARTIFACTS)
        except BaseException:
            # refused (another ingest holds the lock) or failed: the library is as it was, so no
            # later ingest picks up a file the index never took
            for p in placed:
                p.unlink(missing_ok=True)
            for final, keep in replaced:
                os.replace(keep, final)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report.errors = errors + report.errors
    return report


def _check_uploads(index_dir: Path, uploads: list[tuple[Path, str]], lib: Path) -> list[tuple[Path, str]]:
    """(temporary path, safe name) of every upload, or one ``InputError`` listing every problem:
    too many files, a missing, unsupported, empty or too large file, a name twice in the batch,
    a name already indexed from outside the library."""
    if len(uploads) > MAX_UPLOAD_FILES:
        raise InputError(f"一次上传的文件过多：{len(uploads)} 个，上限 {MAX_UPLOAD_FILES} 个，请分批上传"
                         f"（too many files in one upload）")
    checked = []
    problems = []
    for tmp, original in uploads:
        try:
            tmp = Path(tmp)
            size = tmp.stat().st_size if tmp.is_file() else -1
            if size < 0:
                raise InputError(f"上传的文件不存在：{original}（upload missing）")
            checked.append((tmp, check_upload(original, size)))
        except InputError as exc:
            problems.append(str(exc))
    if problems:
        raise InputError("\n".join(problems))
    names = [n for _, n in checked]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError(f"同一批上传中文件名重复：{'、'.join(dupes)}（duplicate names in one upload）")
    try:
        current = list_sources(index_dir, lib)
    except CivilQAError:  # no index yet: nothing to clash with
        current = []
    by_name = {r["source"]: r for r in current}
    clashes = [n for n in names if n in by_name and by_name[n]["path"]
               and not _inside(Path(by_name[n]["path"]), lib)]
    if clashes:
        raise InputError("索引中已有同名文件（不在上传目录中）：" + "、".join(
            f"{n}（{by_name[n]['path']}）" for n in clashes) + "。请改名后再上传（a file of that name is already indexed）")
    return checked


def _place(checked: list[tuple[Path, str]], staging: Path, lib: Path, progress: Progress | None
           ) -> tuple[list[Path], list[tuple[Path, Path]], list[str]]:
    """Each file parsed once in ``staging``, then moved into the library (a previous version kept
    in staging until the index has taken the new one). Returns (files placed, (library file, its
    previous version), errors of the files refused); none placed is an ``IngestError``."""
    errors: list[str] = []
    placed: list[Path] = []
    replaced: list[tuple[Path, Path]] = []
    for n, (tmp, name) in enumerate(checked, 1):
        staged = staging / name
        shutil.copyfile(tmp, staged)
        try:
            process_file(staged)  # parse once before the file enters the library
        except IngestError as exc:
            errors.append(str(exc))
            continue
        finally:
            if progress:
                progress("检查", n, len(checked))
        final = lib / name
        with open(staged, "rb") as f:
            os.fsync(f.fileno())
        if final.exists():
            keep = staging / ".previous" / name
            keep.parent.mkdir(exist_ok=True)
            os.replace(final, keep)
            replaced.append((final, keep))
        os.replace(staged, final)
        placed.append(final)
    if not placed:
        raise IngestError("没有文件导入成功，索引保持不变：\n" + "\n".join(errors))
    return placed, replaced, errors


def _drop_stale_staging(lib: Path, older_than_s: float = 3600) -> None:
    """Staging folders left by an upload that was killed (hidden, never ingested)."""
    now = time.time()
    for p in lib.glob(".staging-*"):
        try:
            if p.is_dir() and now - p.stat().st_mtime > older_than_s:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            pass


# -- delete, metadata, re-index ---------------------------------------------------------------------

def delete_documents(index_dir: Path, sources: list[str], *, library: Path | None = None,
                     progress: Progress | None = None):
    """Drop documents from the index (one new generation); a file that lives in the managed
    library is deleted too (with its sidecar entry), so that no later ingest brings it back.
    Files elsewhere are left on disk. Returns (BuildReport, deleted files)."""

    index_dir = Path(index_dir)
    lib = library or library_dir(index_dir)
    names = list(dict.fromkeys(Path(s).name for s in sources))
    if not names:
        raise InputError("请指定要删除的文件（no file given）")
    files = read_manifest(index_dir).get("files", {})
    report = remove_sources(index_dir, names, artifacts=ARTIFACTS, progress=progress)
    deleted = []
    for name in names:
        path = files.get(name)
        if path and _inside(Path(path), lib) and Path(path).is_file():
            Path(path).unlink()
            deleted.append(Path(path))
            update_sidecar(lib / SIDECAR_NAME, name, None)
    return report, deleted


def normalize_city(value: Any) -> str | None:
    """A region name as the metadata writes it (焦作 → 焦作市, 惠济区 → 郑州市惠济区), or None for blank."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    place = lookup(text)
    if place is not None:
        return place.region
    found = find_places(text)
    if len(found) == 2 and found[0][1] == 0 and found[1][2] == len(text) and found[0][2] == found[1][1]:
        city, county = found[0][0], found[1][0]
        if county.level == "county" and county.parent == city.name:
            return county.region
    raise InputError(f"未知地区：{text}（请填写地名录中的市、县或区，可写简称或“市+区县”，如 某某市、某某市某某区；unknown region）")


def normalize_year(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        year = int(str(value).strip().removesuffix("年"))
    except ValueError:
        raise InputError(f"年份无效：{value!r}（应为四位数字，如 2021；invalid year）") from None
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise InputError(f"年份超出范围：{year}（应在 {YEAR_RANGE[0]}–{YEAR_RANGE[1]} 之间；year out of range）")
    return year


def update_sidecar(path: Path, source: str, fields: dict[str, Any] | None) -> None:
    """Set (or with ``None`` drop) one file's entry in a sidecar, keeping everything else."""
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise IngestError(f"元数据文件格式错误：{path}：{exc}（invalid sidecar JSON）") from None
        if not isinstance(data, dict):
            raise IngestError(f"元数据文件应为 JSON 对象：{path}（sidecar must be an object）")
    if fields is None:
        if source not in data:
            return
        data.pop(source)
    else:
        entry = dict(data.get(source) or {})
        entry.update(fields)
        data[source] = entry
    path.parent.mkdir(parents=True, exist_ok=True)
    write_json_atomic(path, data)


def set_metadata(index_dir: Path, edits: list[tuple[str, Any, Any]], embedder, *,
                 progress: Progress | None = None):
    """Correct documents' region/year: ``edits`` are (file name, city, year). Everything is
    validated first; then each value is saved in the sidecar ``metadata.json`` next to its
    file (atomically) and the index is refreshed once, so its chunks carry the new values."""
    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    files = manifest.get("files", {})
    checked = []
    for source, city, year in edits:
        name = Path(source).name
        if name not in manifest["sources"]:
            raise InputError(f"索引中没有这个文件：{name}（not in the index）")
        if not files.get(name):
            raise InputError(f"索引没有记录 {name} 的位置，请先用 civilqa ingest 重新导入（file location unknown）")
        checked.append((name, {"city": normalize_city(city), "year": normalize_year(year)}))
    if not checked:
        raise InputError("没有需要保存的修改（nothing to save）")
    for name, fields in checked:
        update_sidecar(Path(files[name]).parent / SIDECAR_NAME, name, fields)
    return reindex(index_dir, embedder, progress=progress)


def reindex(index_dir: Path, embedder, *, progress: Progress | None = None):
    """Re-read the files the index was built from (changed ones re-parsed, missing ones dropped)."""

    return build_index(None, Path(index_dir), embedder, mode="refresh", progress=progress,
                       artifacts=ARTIFACTS)


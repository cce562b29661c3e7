"""Crashes and disks: kill -9 during a real ``civilqa ingest``, damaged index files, a full disk.

Every case ends the same way: the index that was live before still loads (checksums verified) and
answers, or loading fails with a clear error naming the file and the re-ingest command. Never a
silently different answer.
"""
from __future__ import annotations

import builtins
import errno
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

import pytest

from assistant.chain import Assistant
from assistant.kb import ARTIFACTS
from index import store
from index.builder import build_index
from index.vector_cache import VectorCache
from ingest.errors import IndexStoreError

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
QUESTION = "焦作市农村最低生活保障年标准是多少？"
CLI = [sys.executable, "-m", "ui"]
ADDED = "惠济区民政局将继续做好低保、特困供养等兜底保障工作（本段为测试新增）。"


def _state(root: Path) -> tuple[str, list[str]]:
    """(CURRENT, every entry of the root but the lock file and the embedding checkpoint, which a
    failed ingest keeps on purpose so that the next one need not embed again: index/vector_cache.py)."""
    return ((root / store.CURRENT).read_text(encoding="utf-8"),
            sorted(p.name for p in root.iterdir() if p.name != ".lock" and not p.name.startswith(".vectors-")))


def _answers(root: Path, embedder) -> str:
    """The live index loads with every checksum verified and still answers with a cited figure."""
    answer = Assistant(root, embedder).ask(QUESTION)
    assert answer.answerable and "4524" in answer.answer, answer.answer
    assert any("4524" in c.text for c in answer.citations)
    return store.load(root).generation.name


# -- kill -9 during a real ingest --------------------------------------------------------------

def _changed_seeds(dst: Path) -> Path:
    """A copy of seeds/ in which one report changed: an ingest must embed its chunks again."""
    shutil.copytree(SEEDS, dst)
    with open(dst / "003_8547944d577de060.txt", "a", encoding="utf-8") as f:
        f.write(f"\n\n{ADDED}\n")
    return dst


def _start_ingest(src: Path, root: Path, cli_env: dict[str, str]) -> subprocess.Popen:
    env = dict(cli_env, CIVILQA_INDEX_DIR=str(root), PYTHONPATH=str(ROOT))
    return subprocess.Popen(CLI + ["ingest", str(src)], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)


def _kill_when(proc: subprocess.Popen, done) -> tuple[str, float]:
    """SIGKILL the ingest as soon as ``done()`` holds; returns (what held, seconds since start)."""
    t0 = time.perf_counter()
    while proc.poll() is None:
        what = done(time.perf_counter() - t0)
        if what:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            return what, time.perf_counter() - t0
        time.sleep(0.002)
    return "finished before the kill", time.perf_counter() - t0


def test_kill_9_during_ingest_leaves_the_previous_index(index_copy, tmp_path, cli_env, embedder):
    root = index_copy
    first = _answers(root, embedder)
    src = _changed_seeds(tmp_path / "seeds")
    rng = random.Random(8)
    # three random moments over start-up, reading and embedding; then the moment a new generation is
    # being written (a new temp dir exists) and the moment it has been renamed into place
    plans = [("random", d) for d in sorted(rng.uniform(0.2, 2.0) for _ in range(3))]
    plans += [("writing", None), ("renamed", None)]
    outcomes = []
    for kind, delay in plans:
        seen = {p.name for p in root.iterdir()}

        def new(prefix: str, seen: set[str] = seen) -> bool:
            return any(p.name.startswith(prefix) and p.name not in seen for p in root.iterdir())

        def done(t: float, kind=kind, delay=delay) -> str | None:
            if kind == "random":
                return f"after {delay:.2f} s" if t >= delay else None
            if kind == "writing":
                return "while a new .tmp-gen-* was being written" if new(".tmp-gen-") else None
            return "after the rename to a new gen-*" if new("gen-") else None

        live_before = store.load(root).generation.name
        proc = _start_ingest(src, root, cli_env)
        what, seconds = _kill_when(proc, done)
        live = _answers(root, embedder)  # loads with checksums verified, answers 4524 with its citation
        if kind == "writing":
            assert live == live_before, what  # a half-written generation is never taken for the index
        else:
            assert live == live_before or new("gen-"), what
        outcomes.append((what, round(seconds, 2), proc.returncode, "previous" if live == live_before else "new",
                         sorted(p.name for p in root.iterdir() if p.name.startswith(".tmp"))))
    print("\nkill -9 during civilqa ingest (moment, seconds, return code, live generation, leftovers):")
    for o in outcomes:
        print("  ", o)
    killed = [o for o in outcomes if not o[0].startswith("finished")]
    assert len(killed) >= 3 and all(o[2] == -signal.SIGKILL for o in killed), outcomes
    assert outcomes[3][0].startswith("while a new .tmp-gen-*"), outcomes  # that moment was really hit
    # the lock died with the process: the next ingest runs to the end and clears the leftovers
    proc = _start_ingest(src, root, cli_env)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert "已导入 5 个文件" in out.decode()
    assert _answers(root, embedder) != first
    assert not [p for p in root.iterdir() if p.name.startswith((".tmp", ".CURRENT"))]
    assert ADDED in store.load(root).documents["003_8547944d577de060.txt"]["text"]


# -- damaged files -------------------------------------------------------------------------------

# every file of a generation, and the pointer; a new kind of file must be added here
INDEX_FILES = ["CURRENT", "manifest.json", "documents.json", "chunks.jsonl", "faiss.index", "standards.json", "copies.json",
               "bm25/data.csc.index.npy", "bm25/indices.csc.index.npy", "bm25/indptr.csc.index.npy",
               "bm25/params.index.json", "bm25/vocab.index.json",
               *(f"bm25-bigrams/{f}" for f in ("data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy",
                                               "params.index.json", "vocab.index.json"))]
DAMAGE = ["truncate-half", "truncate-empty", "flip-first", "flip-middle", "flip-last"]


def test_the_damage_list_covers_every_file(seed_index_dir):
    gen = store.load(seed_index_dir).generation
    on_disk = {p.relative_to(gen).as_posix() for p in gen.rglob("*") if p.is_file()} | {"CURRENT"}
    assert on_disk == set(INDEX_FILES)


def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncate-half":
        data = data[:len(data) // 2]
    elif how == "truncate-empty":
        data = bytearray()
    else:
        offset = {"flip-first": 0, "flip-middle": len(data) // 2, "flip-last": len(data) - 1}[how]
        data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", DAMAGE)
@pytest.mark.parametrize("name", INDEX_FILES)
def test_damaged_file_is_a_clear_error_never_an_answer(index_copy, embedder, name, how):
    path = index_copy / name if name == "CURRENT" else store.load(index_copy).generation / name
    _damage(path, how)
    with pytest.raises(IndexStoreError) as info:
        Assistant(index_copy, embedder)
    msg = str(info.value)
    assert "civilqa ingest" in msg
    assert Path(name).name in msg, msg  # the message names the damaged file


def test_damaged_manifest_value_is_caught_by_its_own_checksum(index_copy):
    gen = store.load(index_copy).generation
    path = gen / "manifest.json"
    text = path.read_text(encoding="utf-8")
    # a digit changed inside a value keeps the JSON valid: only the manifest checksum sees it
    i = text.index('"chunks": ') + len('"chunks": ')
    digit = text[i]
    path.write_text(text[:i] + str((int(digit) + 2) % 10) + text[i + 1:], encoding="utf-8")
    with pytest.raises(IndexStoreError, match="manifest.json"):
        store.load(index_copy)


def test_damaged_index_through_the_cli(index_copy, cli_env):
    _damage(store.load(index_copy).generation / "faiss.index", "flip-middle")
    p = subprocess.run(CLI + ["ask", QUESTION], env=dict(cli_env, CIVILQA_INDEX_DIR=str(index_copy)),
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 2
    assert "faiss.index" in p.stderr and "civilqa ingest" in p.stderr and "Traceback" not in p.stderr
    assert "4524" not in p.stdout


# -- a full disk during save ----------------------------------------------------------------------

@pytest.fixture()
def tiny(tiny_index_copy) -> tuple[Path, Path]:
    """A copy of the tiny index, and a third source file that the index does not have yet."""
    src, root = tiny_index_copy
    (src / "c.txt").write_text("漯河市民政简报\n\n漯河市农村低保金提高到每人每年4560元。", encoding="utf-8")
    return src, root


class _Disk:
    """Counts writes and fsyncs to files under ``root`` and fails the ``fail_at``-th with ENOSPC,
    as a full disk does. Installed over io.open/builtins.open (pathlib, os.fdopen, numpy and bm25s
    all open files through them) and os.fsync."""

    def __init__(self, root: Path, fail_at: int | None = None) -> None:
        self.root = str(root.resolve())
        self.fail_at = fail_at
        self.events: list[tuple[str, str]] = []
        self._open, self._fsync = io.open, os.fsync

    def _path(self, file) -> str | None:
        try:
            p = os.readlink(f"/proc/self/fd/{file}") if isinstance(file, int) else str(Path(file).resolve())
        except (OSError, TypeError):
            return None
        return p if p.startswith(self.root + os.sep) else None

    def event(self, kind: str, path: str) -> None:
        self.events.append((kind, path))
        if self.fail_at is not None and len(self.events) == self.fail_at:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)

    def open(self, file, mode="r", *args, **kwargs):
        f = self._open(file, mode, *args, **kwargs)
        path = self._path(file) if any(c in mode for c in "wax+") else None
        return _Tracked(f, self, path) if path else f

    def fsync(self, fd):
        path = self._path(fd)
        if path:
            self.event("fsync", path)
        return self._fsync(fd)

    def install(self, monkeypatch) -> "_Disk":
        monkeypatch.setattr(io, "open", self.open)
        monkeypatch.setattr(builtins, "open", self.open)
        monkeypatch.setattr(os, "fsync", self.fsync)
        return self


class _Tracked:
    def __init__(self, f, disk: _Disk, path: str) -> None:
        self._f, self._disk, self._path = f, disk, path

    def write(self, data):
        self._disk.event("write", self._path)
        return self._f.write(data)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()
        return False

    def __iter__(self):
        return iter(self._f)

    def __getattr__(self, name):
        return getattr(self._f, name)


def _label(path: str, root: Path) -> str:
    rel = Path(path).relative_to(root.resolve()).as_posix()
    parts = rel.split("/")
    if parts[0].startswith(".tmp-gen-"):
        parts = parts[1:]
    name = "/".join(parts) or "(the generation directory)"
    for base in ("documents.json", "standards.json", "copies.json", "manifest.json", "CURRENT"):
        if base in name:
            return base
    return name


def test_full_disk_at_every_file_of_a_save_keeps_the_old_index(tiny, embedder, monkeypatch):
    src, root = tiny
    # a dry run on a copy lists every write and fsync a save makes
    probe = root.parent / "probe"
    shutil.copytree(root, probe)
    with monkeypatch.context() as m:
        dry = _Disk(probe).install(m)
        build_index([src], probe, embedder, artifacts=ARTIFACTS)
    labels = [(kind, _label(path, probe)) for kind, path in dry.events]
    files = {name for _, name in labels}
    assert {"documents.json", "chunks.jsonl", "faiss.index", "standards.json", "manifest.json", "CURRENT"} <= files
    assert any(name.startswith("bm25/") for name in files)
    # fail at the first write to each file, its first fsync, and the very last event (the pointer)
    points = sorted({next(i for i, e in enumerate(labels, 1) if e == (kind, name))
                     for kind, name in set(labels)} | {len(labels)})
    before, n_chunks = _state(root), len(store.load(root).chunks)
    failed = []
    for n in points:
        # each attempt replays the dry run's events: without the checkpoint an earlier attempt
        # kept, the new chunk is embedded (and checkpointed) again
        VectorCache.clear(root)
        with monkeypatch.context() as m:
            _Disk(root, fail_at=n).install(m)
            with pytest.raises(IndexStoreError) as info:
                build_index([src], root, embedder, artifacts=ARTIFACTS)
        msg = str(info.value)
        assert "磁盘空间不足" in msg and "原有索引未改动" in msg and "civilqa ingest" in msg, msg
        assert _state(root) == before, labels[n - 1]  # no half generation, no temp file left
        index = store.load(root)
        assert len(index.chunks) == n_chunks and "c.txt" not in index.documents
        failed.append(labels[n - 1])
    print(f"\nENOSPC injected at {len(failed)} of {len(labels)} write/fsync events:", failed)
    # with space again the same ingest succeeds
    report = build_index([src], root, embedder, artifacts=ARTIFACTS)
    # (its one new vector comes from the checkpoint that the failed attempts kept, or is embedded)
    assert "c.txt" in store.load(root).documents and report.embedded + report.resumed == 1
    assert not list(root.glob(".vectors-*"))


def _mount_tmpfs(where: Path, size_kb: int) -> None:
    if os.geteuid() != 0:
        pytest.skip("a real full disk needs a small tmpfs, and mounting one needs root")
    where.mkdir(parents=True)
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(where)],
                       capture_output=True, text=True)
    if p.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {p.stderr.strip()}")


def _disk_usage_kb(folder: Path) -> int:
    return sum(-(-p.stat().st_size // 4096) * 4 for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("spare", [0.1, 0.5, 0.9])
def test_really_full_tmpfs_during_save_keeps_the_old_index(index_copy, tmp_path, embedder, spare):
    """A tmpfs a little larger than one generation: the second generation does not fit."""
    gen = store.load(index_copy).generation
    size = _disk_usage_kb(gen)
    mnt = tmp_path / "mnt"
    _mount_tmpfs(mnt, int(size * (1 + spare)) + 16)
    try:
        root = mnt / "idx"
        root.mkdir()
        shutil.copytree(gen, root / gen.name)
        shutil.copy(index_copy / store.CURRENT, root / store.CURRENT)
        before = _state(root)
        with pytest.raises(IndexStoreError) as info:
            build_index([SEEDS], root, embedder, artifacts=ARTIFACTS)
        assert "磁盘空间不足" in str(info.value) and "civilqa ingest" in str(info.value)
        assert _state(root) == before
        assert _answers(root, embedder) == gen.name
        cause = info.value.__cause__
        where = [f"{Path(f.filename).name}:{f.name}" for f in traceback.extract_tb(cause.__traceback__)
                 if "site-packages" in f.filename or f.filename.endswith("store.py")][-2:]
        print(f"\ntmpfs of {size}k + {spare:.0%}: {cause.strerror} in {' > '.join(where)}")
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)

"""jieba's word-frequency table read on demand, so one question does not load 500 000 words.

``jieba.Tokenizer.initialize`` unmarshals its whole prefix dictionary (~0.9 s here) before it can
cut three words. Segmenting one question needs only the frequencies of that question's substrings
(a few hundred look-ups). ``LazyFreq`` is a mapping with exactly the keys and values of jieba's
table, read from a SQLite copy of it; words added later (``add_word``) live in memory on top. After
``FULL_AFTER`` distinct look-ups (an ingest, not a question) it loads the whole table once and
answers from memory from then on. Segmentation is therefore identical to jieba's own.

The copy is written once, by the first process that loads the full table (an index build or the
first question), atomically (temp file + ``os.replace``), into ``CIVILQA_CACHE_DIR`` (default
``$XDG_CACHE_HOME/civilqa`` or ``~/.cache/civilqa``); its name carries a hash of jieba's version and
dictionary file, so a new dictionary gets a new copy. If the folder cannot be written, jieba simply
loads its table as before.
"""
from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any, Iterator

from ingest.atomic import write_atomically
from ingest.settings import settings

FULL_AFTER = 20_000  # distinct look-ups before the whole table is loaded (one question: ~100–500)
_MISSING = object()


def cache_dir() -> Path:
    return settings().cache_path()


def cache_path(seg) -> Path:
    """The copy's file for this jieba version and dictionary."""
    import jieba

    dict_file = Path(seg.dictionary) if seg.dictionary else Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    st = dict_file.stat()
    key = f"{getattr(jieba, '__version__', '')}|{dict_file}|{st.st_size}|{st.st_mtime_ns}"
    return cache_dir() / f"jieba-{hashlib.sha256(key.encode()).hexdigest()[:16]}.sqlite3"


def write_copy(path: Path, freq: dict[str, int], total: int) -> bool:
    """Write jieba's table to ``path`` atomically; False (nothing left behind) when it cannot."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)

        def write(tmp: Path) -> None:
            conn = sqlite3.connect(tmp)
            try:
                with conn:
                    conn.execute("CREATE TABLE freq (w TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
                    conn.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")
                    conn.executemany("INSERT INTO freq VALUES (?, ?)", freq.items())
                    conn.execute("INSERT INTO meta VALUES ('total', ?)", (int(total),))
                    conn.execute("INSERT INTO meta VALUES ('count', ?)", (len(freq),))
            finally:
                conn.close()

        write_atomically(path, write)
        return True
    except (OSError, sqlite3.Error):
        return False


class LazyFreq(MutableMapping):
    """jieba's ``FREQ`` dict, read from the SQLite copy on demand (thread-safe)."""

    def __init__(self, path: Path, load_full) -> None:
        self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._memo: dict[str, Any] = {}  # word -> frequency, or _MISSING
        self._added: dict[str, int] = {}  # add_word / suggest_freq changes, kept across the switch
        self._deleted: set[str] = set()
        self._full: dict[str, int] | None = None
        self._load_full = load_full  # () -> the whole table as jieba builds it
        meta = dict(self._conn.execute("SELECT k, v FROM meta").fetchall())
        self.total = int(meta["total"])

    @property
    def loaded(self) -> bool:
        """True once the whole table is in memory."""
        return self._full is not None

    def _lookup(self, key: str) -> Any:
        full = self._full
        if full is not None:
            return full.get(key, _MISSING)
        if key in self._added:
            return self._added[key]
        if key in self._deleted:
            return _MISSING
        value = self._memo.get(key)
        if value is None:
            with self._lock:
                if self._full is not None:  # switched while this thread waited
                    return self._full.get(key, _MISSING)
                row = self._conn.execute("SELECT n FROM freq WHERE w = ?", (key,)).fetchone()
                value = _MISSING if row is None else row[0]
                self._memo[key] = value
                switch = len(self._memo) > FULL_AFTER
            if switch:
                self._switch()
        return value

    def _switch(self) -> None:
        with self._lock:
            if self._full is not None:
                return
            full = dict(self._load_full())
            for k in self._deleted:
                full.pop(k, None)
            full.update(self._added)
            self._full = full
            self._memo.clear()
            self._conn.close()

    def __getitem__(self, key: str) -> int:
        value = self._lookup(key)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        value = self._lookup(key)
        return default if value is _MISSING else value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._lookup(key) is not _MISSING

    def __setitem__(self, key: str, value: int) -> None:
        if self._full is not None:
            self._full[key] = value
        self._added[key] = value
        self._deleted.discard(key)

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        if self._full is not None:
            self._full.pop(key, None)
        self._added.pop(key, None)
        self._deleted.add(key)

    def __iter__(self) -> Iterator[str]:
        self._switch()
        return iter(self._full)

    def __len__(self) -> int:
        self._switch()
        return len(self._full)


def fast_tokenizer():
    """A ready ``jieba.Tokenizer`` whose table is read on demand when the copy exists; otherwise
    jieba's own full load, after which the copy is written for the next process."""
    import jieba

    seg = jieba.Tokenizer()
    try:
        path = cache_path(seg)
    except OSError:
        seg.initialize()
        return seg

    def load_full() -> dict[str, int]:
        full = jieba.Tokenizer()
        full.initialize()
        return full.FREQ

    if path.is_file():
        try:
            freq = LazyFreq(path, load_full)
        except (sqlite3.Error, KeyError, ValueError):
            freq = None
        if freq is not None:
            seg.FREQ, seg.total, seg.initialized = freq, freq.total, True
            return seg
    seg.initialize()
    write_copy(path, seg.FREQ, seg.total)
    return seg

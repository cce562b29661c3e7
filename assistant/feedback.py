"""Feedback on answers: 👍/👎 with an optional comment, kept in a local SQLite file.

One row per vote: the time, the rating, the comment, and the question, answer and citations
exactly as shown. Nothing else is stored (no address, no account, no browser data): only what the
person typed and what the assistant answered.

The file lives in the data directory beside the index and the library
(``.civilqa/feedback.sqlite3``; ``CIVILQA_FEEDBACK_DB`` to move it). Every write is one
transaction (WAL journal, busy timeout), so concurrent votes from several pages never interleave
and a crash leaves either the whole row or none. Each field has a bounded length; a vote over a
limit is refused with the limit named and nothing is written.

``civilqa feedback list|export`` (assistant/feedback_cli.py) and the staff tab 反馈记录
(ui/feedback_tab.py) read it; ``export`` writes CSV or XLSX atomically.

::

    store = FeedbackStore(path)
    store.add("down", question="…", answer="…", citations=[...], comment="数字不对")
    store.list(rating="down")
"""
from __future__ import annotations

import csv
import datetime as _dt
import json
import sqlite3
import threading
import time
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable

from ingest.atomic import write_atomically
from ingest.errors import ConfigError, InputError
from ingest.settings import settings

from .drafting import check_export_path  # the export checks drafting uses

RATINGS = {"up": "👍", "down": "👎"}
MAX_COMMENT_CHARS = 1000
MAX_QUESTION_CHARS = 2000  # the question as typed (the answerer refuses > 500; the record keeps what was sent)
MAX_ANSWER_CHARS = 20_000
MAX_CITATIONS = 50
MAX_LIST = 10_000  # rows one listing or export reads at most
EXPORT_FORMATS = (".csv", ".xlsx")
EXPORT_HEADERS = ["编号", "时间", "评价", "意见", "问题", "回答", "引用"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS feedback_rating ON feedback (rating, id);
"""


def default_path(index_dir: Path | None = None) -> Path:
    """``CIVILQA_FEEDBACK_DB``, else ``feedback.sqlite3`` in the folder that holds the index."""
    return settings().feedback_path(index_dir)


@dataclass(frozen=True)
class Feedback:
    id: int
    created: str  # ISO 8601, UTC, seconds
    rating: str  # up | down
    comment: str
    question: str
    answer: str
    citations: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def citation_lines(self) -> str:
        """One line per citation: [n] title（city，year）file (start–end)."""
        out = []
        for c in self.citations:
            where = "，".join(str(x) for x in (c.get("city"), f"{c['year']}年" if c.get("year") else None) if x)
            out.append(f"[{c.get('marker', '')}] {c.get('title') or ''}{f'（{where}）' if where else ''} "
                       f"{c.get('source', '')} {c.get('start', '')}–{c.get('end', '')}".strip())
        return "\n".join(out)


def _bounded(name: str, value: Any, limit: int) -> str:
    text = "" if value is None else str(value)
    if len(text) > limit:
        raise InputError(f"{name}过长：{len(text)} 字，上限 {limit} 字（{name} too long: > {limit} characters）")
    return text


_CITATION_KEYS = ("marker", "source", "title", "city", "year", "start", "end", "page", "paragraph", "text")


def _citations(citations: Iterable[Any] | None) -> list[dict[str, Any]]:
    """The citations as shown (dicts or Citation objects), reduced to the keys a reader needs."""
    out = []
    for c in list(citations or []):
        d = c if isinstance(c, dict) else c.to_dict()
        out.append({k: d[k] for k in _CITATION_KEYS if d.get(k) is not None})
    if len(out) > MAX_CITATIONS:
        raise InputError(f"引用过多：{len(out)} 条，上限 {MAX_CITATIONS} 条（too many citations）")
    return out


class FeedbackStore:
    """The feedback file. Opens a connection per call: safe from any thread of the web server."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._ready = False  # WAL mode and the schema are set up once per store, not per connection
        self._ready_lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        if self.path.is_dir():
            raise ConfigError(f"反馈数据库路径是一个目录：{self.path}（feedback database path is a directory）")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(self.path, timeout=10)
            conn.execute("PRAGMA busy_timeout=10000")
            if not self._ready:
                with self._ready_lock:
                    if not self._ready:
                        _set_up(conn)
                        self._ready = True
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"反馈数据库无法打开：{self.path}：{exc}（cannot open the feedback database）") from exc
        return conn

    def add(self, rating: str, *, question: Any, answer: Any, citations: Iterable[Any] | None = None,
            comment: Any = "", now: _dt.datetime | None = None) -> Feedback:
        """Store one vote (one transaction) and return it. Bad input raises ``InputError``, writes nothing."""
        if rating not in RATINGS:
            raise InputError(f"评价只能是 {'、'.join(RATINGS)}：{rating!r}（rating must be up or down）")
        q = _bounded("问题", question, MAX_QUESTION_CHARS).strip()
        a = _bounded("回答", answer, MAX_ANSWER_CHARS).strip()
        if not q or not a:
            raise InputError("只能对已有的回答评价：问题或回答为空（no answer to rate）")
        note = _bounded("意见", comment, MAX_COMMENT_CHARS).strip()
        cits = _citations(citations)
        created = (now or _dt.datetime.now(_dt.timezone.utc)).astimezone(_dt.timezone.utc)
        created_s = created.replace(microsecond=0).isoformat()
        with closing(self._connect()) as conn, conn:  # the inner `with conn` is the transaction
            cur = conn.execute(
                "INSERT INTO feedback (created, rating, comment, question, answer, citations) VALUES (?,?,?,?,?,?)",
                (created_s, rating, note, q, a, json.dumps(cits, ensure_ascii=False)))
            row_id = cur.lastrowid
        return Feedback(row_id, created_s, rating, note, q, a, cits)

    def set_comment(self, row_id: int, comment: Any) -> None:
        """Add or replace the comment of vote ``row_id`` (the 👎 first, the words after)."""
        note = _bounded("意见", comment, MAX_COMMENT_CHARS).strip()
        with closing(self._connect()) as conn, conn:
            cur = conn.execute("UPDATE feedback SET comment = ? WHERE id = ?", (note, int(row_id)))
            if cur.rowcount != 1:
                raise InputError(f"没有这条评价：{row_id}（no such feedback）")

    def list(self, rating: str | None = None, limit: int = MAX_LIST) -> list[Feedback]:
        """The votes, newest first; ``rating`` ``up``/``down`` keeps one kind; at most ``limit``."""
        if rating is not None and rating not in RATINGS:
            raise InputError(f"评价只能是 {'、'.join(RATINGS)}：{rating!r}（rating must be up or down）")
        limit = max(0, min(int(limit), MAX_LIST))
        if not self.path.exists():
            return []
        where, args = ("WHERE rating = ?", [rating]) if rating else ("", [])
        with closing(self._connect()) as conn:
            rows = conn.execute(f"SELECT id, created, rating, comment, question, answer, citations FROM feedback "
                                f"{where} ORDER BY id DESC LIMIT ?", args + [limit]).fetchall()
        out = []
        for r in rows:
            try:
                cits = json.loads(r[6])
            except json.JSONDecodeError:
                cits = []
            out.append(Feedback(r[0], r[1], r[2], r[3], r[4], r[5], cits if isinstance(cits, list) else []))
        return out

    def export(self, path: str | Path, rating: str | None = None) -> tuple[Path, int]:
        """Write the votes to ``path`` (.csv UTF-8 with BOM for Excel, or .xlsx), atomically: (path, rows)."""
        p = check_export_path(path, EXPORT_FORMATS)
        items = self.list(rating)
        rows = [export_row(f) for f in items]
        if p.suffix.lower() == ".csv":
            write_atomically(p, lambda t: _write_csv(t, rows))
        else:
            write_atomically(p, lambda t: _write_xlsx(t, rows))
        return p, len(rows)


def export_row(f: Feedback) -> list[Any]:
    return [f.id, f.created, RATINGS[f.rating], f.comment, f.question, f.answer, f.citation_lines()]


def _write_csv(path: Path, rows: list[list[Any]]) -> None:
    with open(path, "x", encoding="utf-8-sig", newline="") as out:
        w = csv.writer(out)
        w.writerow(EXPORT_HEADERS)
        w.writerows([_cell(v) for v in r] for r in rows)


def _cell(value: Any) -> Any:
    """A spreadsheet cell that cannot run as a formula (=, +, -, @ lead a formula in Excel)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _write_xlsx(path: Path, rows: list[list[Any]]) -> None:
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
    except ImportError as exc:
        raise ConfigError("导出 .xlsx 需要 openpyxl：pip install -e '.[ui]'，或改为导出 .csv"
                          "（openpyxl is not installed）") from exc

    wb = Workbook()
    ws = wb.active
    ws.title = "反馈记录"
    ws.append(EXPORT_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([_cell(v) for v in r])
    for col, width in zip("ABCDEFG", (6, 22, 6, 30, 30, 60, 50)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    with open(path, "xb") as out:
        wb.save(out)


def _set_up(conn: sqlite3.Connection, seconds: float = 10.0) -> None:
    """WAL journal and the schema. Switching to WAL takes an exclusive lock for which SQLite does not
    always wait (another process setting up the same file gets "database is locked" at once), so
    the switch is retried for up to ``seconds``; WAL then stays on in the file."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)

"""The question set: ``eval/questions.jsonl``, one JSON object per line.

Each question: ``id``, ``question``, ``answerable``, ``answer_keys`` (strings that must all
appear in a correct answer), ``source``/``span`` (gold file and a verbatim quote of the
gold passage; comparisons also list ``sources``/``spans``), ``city`` and ``category``.
Optional: ``split`` (``dev`` or ``test``: the new-documents set keeps a third of its documents
and their questions aside as a test split, measured only on request).
Questions built from other benchmarks (NCPPolicies) carry a ``reference`` answer instead of
keys: they are scored by document hit and ROUGE-L recall (see ``eval.metrics``).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import InputError

DEFAULT_QUESTIONS = Path(__file__).resolve().parent / "questions.jsonl"
SPLITS = ("dev", "test")


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answerable: bool
    answer_keys: tuple[str, ...]
    category: str
    sources: tuple[str, ...] = ()  # gold files (first = ``source``)
    spans: tuple[str, ...] = ()  # gold quotes, parallel to sources
    city: str | None = None
    line: int = 0
    split: str | None = None  # "dev" / "test" where the set has splits
    reference: str | None = None  # the annotated answer text (benchmarks scored by ROUGE-L)

    @property
    def source(self) -> str | None:
        return self.sources[0] if self.sources else None


@dataclass(frozen=True)
class QuestionSet:
    path: Path
    sha256: str
    questions: tuple[Question, ...] = field(default_factory=tuple)

    def sample(self, per_category: int) -> "QuestionSet":
        """The first ``per_category`` questions of each category, in file order (deterministic)."""
        if per_category < 1:
            raise InputError(f"每类抽样数必须大于 0，当前为 {per_category}（--sample must be >= 1）")
        seen: dict[str, int] = {}
        kept = []
        for q in self.questions:
            if seen.get(q.category, 0) < per_category:
                kept.append(q)
                seen[q.category] = seen.get(q.category, 0) + 1
        return QuestionSet(self.path, self.sha256, tuple(kept))

    def split(self, name: str) -> "QuestionSet":
        """The questions of one split (``dev`` or ``test``); a file without splits is all ``dev``."""
        if name not in SPLITS:
            raise InputError(f"无效的划分：{name!r}，可选：{'、'.join(SPLITS)}（split must be dev or test）")
        kept = tuple(q for q in self.questions if (q.split or "dev") == name)
        if not kept:
            raise InputError(f"问题集 {self.path.name} 没有 {name} 划分的问题（no {name} questions）")
        return QuestionSet(self.path, self.sha256, kept)

    @property
    def categories(self) -> list[str]:
        return sorted({q.category for q in self.questions})


def read_jsonl(path: Path, hint: str = "") -> tuple[bytes, list[tuple[int, dict]]]:
    """The one reader of a questions file: (its bytes, [(line number, object)]), blank lines
    skipped; an unreadable file, a non-UTF-8 file or a line that is not a JSON object is an
    ``InputError`` naming the file and the line. ``hint`` ends the unreadable-file message."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取问题集 {path}：{exc.strerror}{hint or '（cannot read question set）'}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"问题集 {path} 不是 UTF-8 编码（question set must be UTF-8）") from exc
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name} 第 {n} 行（line {n}）"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}：不是合法的 JSON：{exc.msg}（invalid JSON）") from exc
        if not isinstance(obj, dict):
            raise InputError(f"{where}：应为 JSON 对象（expected an object）")
        rows.append((n, obj))
    return raw, rows


def load_questions(path: Path | str | None = None) -> QuestionSet:
    """Read and validate a question file; errors name the file and the line."""
    path = Path(path) if path else DEFAULT_QUESTIONS
    raw, rows = read_jsonl(path)
    questions, ids = [], set()
    for n, obj in rows:
        where = f"{path.name} 第 {n} 行（line {n}）"
        for key, typ in (("id", str), ("question", str), ("answerable", bool), ("answer_keys", list),
                         ("category", str)):
            if not isinstance(obj.get(key), typ):
                raise InputError(f"{where}：缺少字段 {key!r} 或类型不是 {typ.__name__}"
                                 f"（missing or mistyped field {key!r}）")
        if obj["id"] in ids:
            raise InputError(f"{where}：重复的 id {obj['id']!r}（duplicate id）")
        ids.add(obj["id"])
        keys = obj["answer_keys"]
        if not all(isinstance(k, str) and k for k in keys):
            raise InputError(f"{where}：answer_keys 必须是非空字符串（answer_keys must be non-empty strings）")
        sources = obj.get("sources") or ([obj["source"]] if obj.get("source") else [])
        spans = obj.get("spans") or ([obj["span"]] if obj.get("span") else [])
        if obj["answerable"] and (not keys or not sources or len(spans) != len(sources)):
            raise InputError(f"{where}：可回答的问题需要 answer_keys、source 和 span"
                             f"（answerable questions need answer_keys, source and span）")
        split = obj.get("split")
        if split is not None and split not in SPLITS:
            raise InputError(f"{where}：split 应为 {' 或 '.join(SPLITS)}，当前为 {split!r}（split must be dev or test）")
        questions.append(Question(obj["id"], obj["question"], obj["answerable"], tuple(keys),
                                  obj["category"], tuple(sources), tuple(spans), obj.get("city"), n, split))
    if not questions:
        raise InputError(f"问题集 {path} 是空的（empty question set）")
    return QuestionSet(path, hashlib.sha256(raw).hexdigest(), tuple(questions))

"""The reply draft: every question answered by ``Assistant.ask`` (the chat's retrieval, answer and
grounding check), the verified answer re-punctuated, its ``[n]`` renumbered across the reply and
checked again, the wording from the template."""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from ..examples import examples_for
from ..grounding import check as check_grounding
from ..grounding import numbers_in
from ..types import Answer, Citation
from .export import export, render_markdown
from .message import PARTICLES, Question, clean_message, parse_message
from .template import ReplyTemplate, load_template

_TAIL = re.compile(r"(?:是多少钱|是多少|为多少|是什么|有哪些|是怎样的|是怎么样的)$")
_CN_DIGITS = "零一二三四五六七八九十"


@dataclass(frozen=True)
class DraftPoint:
    number: int
    question: str  # as the citizen wrote it
    asked: str  # what the assistant was asked (city carried over when clearly meant)
    carried_city: str | None
    follows: int | None  # 漯河呢？ repeats question ``follows`` for another place
    answerable: bool
    text: str  # the paragraph of the reply
    answer: str  # the verified answer with reply-wide [n], or the assistant's refusal
    citations: tuple[Citation, ...]  # reply-wide markers
    scope: str | None  # 焦作市（2021年）
    basis: str | None  # 《title》（publisher，period）[1]
    answerer: str = "extractive"
    problems: tuple[str, ...] = ()  # why an answer was not used (failed the re-check)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["citations"] = [c.to_dict() for c in self.citations]
        d["problems"] = list(self.problems)
        return d


@dataclass(frozen=True)
class Draft:
    message: str
    title: str
    salutation: str
    opening: str
    points: tuple[DraftPoint, ...]
    closing: str
    signature: str
    sources: tuple[Citation, ...]  # every cited span once, numbered as in the body
    sources_heading: str
    source_lines: tuple[str, ...]  # the sources as the template writes them
    template: str  # the template file used
    context: tuple[str, ...] = ()  # sentences of the message read as context, not as questions

    @property
    def paragraphs(self) -> list[str]:
        parts = [self.salutation, self.opening, *(p.text for p in self.points), self.closing,
                 *self.signature.split("\n")]
        return [p.strip() for p in parts if p and p.strip()]

    @property
    def body(self) -> str:
        """The reply text, one paragraph per blank-line-separated block (what the app lets staff edit)."""
        return "\n\n".join(self.paragraphs)

    def to_dict(self) -> dict[str, Any]:
        return {"message": self.message, "title": self.title, "salutation": self.salutation,
                "opening": self.opening, "points": [p.to_dict() for p in self.points],
                "closing": self.closing, "signature": self.signature, "body": self.body,
                "sources": [c.to_dict() for c in self.sources], "sources_heading": self.sources_heading,
                "source_lines": list(self.source_lines), "template": self.template,
                "context": list(self.context)}

    def to_markdown(self, body: str | None = None) -> str:
        return render_markdown(self.title, self.body if body is None else body, self.sources_heading,
                               self.source_lines)

    def write(self, path: str | Path, body: str | None = None) -> Path:
        """Export to ``.docx`` or ``.md`` (by suffix), atomically; ``body`` replaces the drafted text."""
        return export(path, self.title, self.body if body is None else body, self.sources_heading,
                      self.source_lines)


def chinese_number(n: int) -> str:
    if 0 <= n <= 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + _CN_DIGITS[n - 10]
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def chinese_count(n: int) -> str:
    """两个问题, not 二个问题."""
    return "两" if n == 2 else chinese_number(n)


def _date_label(today: _dt.date) -> str:
    return f"{today.year}年{today.month}月{today.day}日"


def _formal(answer: str) -> str:
    """The chat answer as one paragraph: bullet lines joined with ；, ending with 。 (words untouched)."""
    lines = [ln.strip() for ln in answer.strip().split("\n") if ln.strip()]
    items = [ln[2:].strip() if ln.startswith("- ") else ln for ln in lines]
    if len(items) > 1 and not lines[0].startswith("- ") and items[0].endswith(("：", ":")):
        text = items[0] + "；".join(i.rstrip("。；;") for i in items[1:])
    else:
        text = "；".join(i.rstrip("；;") for i in items)
    return text if text.endswith(("。", "！", "？", ".", "!", "?")) else text + "。"


def topic_of(question: str) -> str:
    """What a question is about, for 未涉及“…”: 北京市城市低保标准是多少 → 北京市城市低保标准."""
    t = PARTICLES.sub("", question.rstrip("。！？!?；;，, "))
    shorter = _TAIL.sub("", t)
    return shorter if len(shorter) >= 4 else t


def _meta(documents: dict[str, Any], c: Citation) -> dict[str, Any]:
    m = dict((documents.get(c.source) or {}).get("meta") or {})
    city = m.get("city") or c.city
    year = m.get("year") or c.year
    return {"title": m.get("title") or c.title or c.source, "city": city or "地区不详",
            "year": f"{year}年" if year else "年份不详",
            "period": m.get("period") or (f"{year}年" if year else "年份不详"),
            "publisher": m.get("publisher") or (f"{city}民政局" if city else "发布单位不详"),
            "source": c.source}


class CitationNumbering:
    """Reply-wide citation numbers: a span cited by two points keeps one number."""

    def __init__(self) -> None:
        self.by_span: dict[tuple[str, int, int], Citation] = {}

    def add(self, c: Citation) -> Citation:
        key = (c.source, c.start, c.end)
        if key not in self.by_span:
            self.by_span[key] = replace(c, marker=len(self.by_span) + 1)
        return self.by_span[key]

    @property
    def sources(self) -> tuple[Citation, ...]:
        return tuple(self.by_span.values())


_MARKER = re.compile(r"\[(\d+)\]")


def make_point(number: int, q: Question, answer: Answer, tpl: ReplyTemplate, numbering: CitationNumbering,
               documents: dict[str, Any]) -> DraftPoint:
    """One paragraph of the reply from one verified answer (or the not-covered sentence)."""
    common = {"number": number, "question": q.text, "asked": q.asked, "carried_city": q.carried_city,
              "follows": q.follows, "answerer": answer.answerer}
    problems: list[str] = []
    if answer.answerable and answer.citations:
        local = {c.marker: c for c in answer.citations}
        used = [int(m) for m in _MARKER.findall(answer.answer)]
        if not used:
            problems.append("答案没有引用编号")
        elif any(m not in local for m in used):
            problems.append("答案引用了不存在的编号")
        else:
            trial = CitationNumbering()
            trial.by_span = dict(numbering.by_span)
            mapped = {m: trial.add(local[m]) for m in dict.fromkeys(used)}
            text = _formal(_MARKER.sub(lambda m: f"[{mapped[int(m.group(1))].marker}]", answer.answer))
            cits = tuple(mapped.values())
            known = {m.get("meta", {}).get("city") for m in documents.values()} - {None, ""}
            ok, found = check_grounding(text, list(cits), known)
            if ok:
                numbering.by_span = trial.by_span
                metas = [(c, _meta(documents, c)) for c in cits]
                scope = "、".join(dict.fromkeys(f"{m['city']}（{m['period']}）" for _, m in metas))
                basis_items = []
                for source in dict.fromkeys(c.source for c in cits):
                    m = next(m for c, m in metas if c.source == source)
                    markers = "".join(f"[{c.marker}]" for c in cits if c.source == source)
                    basis_items.append(tpl.basis_item.format(markers=markers, **m))
                basis = tpl.basis_separator.join(basis_items)
                para = tpl.answered.format(number=chinese_number(number), question=q.asked, answer=text,
                                           scope=scope, basis=basis)
                return DraftPoint(answerable=True, text=para, answer=text, citations=cits, scope=scope,
                                  basis=basis, **common)
            problems.extend(found)
    para = tpl.not_covered.format(number=chinese_number(number), question=q.asked, topic=topic_of(q.asked))
    return DraftPoint(answerable=False, text=para, answer=answer.answer, citations=(), scope=None, basis=None,
                      problems=tuple(problems), **common)


def draft_reply(assistant, message: Any, template: ReplyTemplate | str | Path | None = None,
                today: _dt.date | None = None) -> Draft:
    """The reply draft to ``message``: every question answered by ``assistant.ask``."""
    tpl = template if isinstance(template, ReplyTemplate) else load_template(template)
    text = clean_message(message)
    questions, context = parse_message(text, example=examples_for(assistant)[0])
    documents = getattr(getattr(assistant, "index", None), "documents", None) or {}
    numbering = CitationNumbering()
    points = [make_point(n, q, assistant.ask(q.asked), tpl, numbering, documents)
              for n, q in enumerate(questions, 1)]
    date = _date_label(today or _dt.date.today())
    sources = numbering.sources
    # one line per source: a table span's line breaks and tabs become single spaces (the citation keeps them)
    lines = tuple(tpl.source_item.format(marker=c.marker, start=c.start, end=c.end,
                                         text=re.sub(r"\s+", " ", c.text).strip(), **_meta(documents, c))
                  for c in sources)
    return Draft(message=text, title=tpl.title.format(date=date), salutation=tpl.salutation,
                 opening=tpl.opening.format(count=chinese_count(len(points))), points=tuple(points),
                 closing=tpl.closing.format(date=date), signature=tpl.signature.format(date=date),
                 sources=sources, sources_heading=tpl.sources_heading, source_lines=lines,
                 template=tpl.path, context=tuple(context))


def changed_figures(original: str, edited: str) -> list[str]:
    """Numbers in the edited reply that the drafted reply did not contain (to warn staff)."""
    before = set(numbers_in(original))
    return list(dict.fromkeys(n for n in numbers_in(edited) if n not in before))


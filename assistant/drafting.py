"""起草答复: a formal reply to a citizen's message, built from verified answers.

::

    message ─► split_questions ─► Assistant.ask (the chat chain) ─► DraftPoint ─┐
                                                         reply_template.toml ──►├► Draft
                                                                                └► .docx / .md

- ``split_questions`` cuts the message at sentence ends (。！？；, line breaks) and,
  conservatively, at a comma that starts a second question (另外/还有…, or a new
  city with its own question word). Greetings and thanks are dropped; context
  sentences (我家在焦作…) are kept only as a source of the city. A question that
  names no place gets the city named earlier in the message only when the
  message named exactly one region before it.
- Every question goes through ``Assistant.ask``: retrieval, answering and the
  grounding check are exactly those of the chat. The verified answer is then only
  re-punctuated and its ``[n]`` renumbered across the reply, and checked again.
- The wording (salutation, paragraphs, closing, sources list) lives in one
  editable file, ``assistant/data/reply_template.toml``; ``load_template`` checks
  it and names the file in any error.

Limits: a message has at most ``MAX_MESSAGE_CHARS`` characters and
``MAX_QUESTIONS`` questions; each question at most ``MAX_QUESTION_CHARS``.
"""
from __future__ import annotations

import datetime as _dt
import re
import string
import tomllib
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from ingest.atomic import write_atomically
from ingest.errors import ConfigError, InputError
from ingest.loading import decode_bytes
from ingest.places import Place, find_places
from ingest.safe_text import replace_surrogates
from ingest.settings import settings
from ingest.text import SENTENCE_PIECE, normalize

from .followup import resolve as resolve_follow_up
from .grounding import check as check_grounding
from .grounding import numbers_in
from .query import MAX_QUESTION_CHARS
from .types import Answer, Citation

MAX_MESSAGE_CHARS = 5000
MAX_QUESTIONS = 10
# a file larger than this cannot hold MAX_MESSAGE_CHARS characters (≤ 4 bytes each), whitespace allowed
MAX_MESSAGE_FILE_BYTES = MAX_MESSAGE_CHARS * 4 + 4096
TEMPLATE_PATH = Path(__file__).with_name("data") / "reply_template.toml"
EXPORT_SUFFIXES = (".docx", ".md")

# -- the template ---------------------------------------------------------------------------

# key: (placeholders it may use, placeholders it must use)
TEMPLATE_FIELDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "title": (frozenset({"date"}), frozenset()),
    "salutation": (frozenset(), frozenset()),
    "opening": (frozenset({"count"}), frozenset()),
    "answered": (frozenset({"number", "question", "answer", "scope", "basis"}), frozenset({"answer", "basis"})),
    "not_covered": (frozenset({"number", "question", "topic"}), frozenset({"topic"})),
    "basis_item": (frozenset({"title", "publisher", "city", "year", "period", "markers", "source"}),
                   frozenset({"title"})),
    "basis_separator": (frozenset(), frozenset()),
    "closing": (frozenset({"date"}), frozenset()),
    "signature": (frozenset({"date"}), frozenset()),
    "sources_heading": (frozenset(), frozenset()),
    "source_item": (frozenset({"marker", "title", "publisher", "city", "year", "period", "source", "start",
                               "end", "text"}), frozenset({"marker", "title"})),
}


@dataclass(frozen=True)
class ReplyTemplate:
    path: str
    title: str
    salutation: str
    opening: str
    answered: str
    not_covered: str
    basis_item: str
    basis_separator: str
    closing: str
    signature: str
    sources_heading: str
    source_item: str


def template_path(path: str | Path | None = None) -> Path:
    if path:
        return Path(path).expanduser()
    return settings().reply_template or TEMPLATE_PATH  # CIVILQA_REPLY_TEMPLATE


def load_template(path: str | Path | None = None) -> ReplyTemplate:
    """Read and check the reply template; any problem is a ``ConfigError`` naming the file."""
    p = template_path(path)
    where = f"答复模板 {p}"
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"找不到{where}（reply template not found）") from None
    except OSError as exc:
        raise ConfigError(f"无法读取{where}：{exc.strerror or exc}（cannot read reply template）") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{where} 不是 UTF-8 文本（第 {exc.start} 字节）（template must be UTF-8）") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where} 格式错误：{exc}（invalid TOML）") from None
    unknown = sorted(set(data) - set(TEMPLATE_FIELDS))
    if unknown:
        raise ConfigError(f"{where} 中有未知条目：{'、'.join(unknown)}；可用条目：{'、'.join(TEMPLATE_FIELDS)}"
                          f"（unknown template keys）")
    missing = [k for k in TEMPLATE_FIELDS if k not in data]
    if missing:
        raise ConfigError(f"{where} 缺少条目：{'、'.join(missing)}（missing template keys）")
    for key, (allowed, required) in TEMPLATE_FIELDS.items():
        value = data[key]
        if not isinstance(value, str):
            raise ConfigError(f"{where} 中 {key} 应为文本（字符串），现为 {type(value).__name__}"
                              f"（template value must be a string）")
        used = _placeholders(value, f"{where} 中 {key}")
        bad = sorted(used - allowed)
        if bad:
            raise ConfigError(f"{where} 中 {key} 使用了未知占位符："
                              f"{'、'.join('{' + b + '}' for b in bad)}；可用："
                              f"{'、'.join('{' + a + '}' for a in sorted(allowed)) or '无'}"
                              f"（unknown placeholder）")
        lacking = sorted(required - used)
        if lacking:
            raise ConfigError(f"{where} 中 {key} 缺少必需的占位符："
                              f"{'、'.join('{' + b + '}' for b in lacking)}（missing placeholder）")
    return ReplyTemplate(path=str(p), **{k: data[k] for k in TEMPLATE_FIELDS})


def _placeholders(text: str, where: str) -> set[str]:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ConfigError(f"{where} 的花括号不成对（{exc}）；文字中的花括号请写成 {{{{ 或 }}}}"
                          f"（unbalanced braces）") from None
    names = set()
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ConfigError(f"{where} 的占位符 {{{name}{'!' + conversion if conversion else ''}"
                              f"{':' + spec if spec else ''}}} 无效：只能写 {{名称}}（invalid placeholder）")
        names.add(name)
    return names


# -- the message ----------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ASK_WORD = re.compile(r"多少|几[个家名户所处岁年月天元块种项]|什么|什麼|怎么|怎麼|怎样|怎樣|如何|哪|谁|誰|是否|能否|"
                       r"能不能|可不可以|可以吗|有没有|有沒有|吗[？?]?$|嗎[？?]?$|请问|請問|咨询|諮詢|想问|想問|想了解|"
                       r"问一下|問一下")
_ASK = re.compile(r"[？?]|" + _ASK_WORD.pattern)
_COURTESY = re.compile(r"^(?:(?:您好|你好|领导好|领导您好|尊敬的.{0,12}|谢谢|謝謝|谢谢您|谢谢了|非常感谢|感谢|多谢|"
                       r"麻烦了|麻烦您了|辛苦了|此致|敬礼|此致敬礼|盼复|望回复|期待回复|急盼回复)[，,！!。.\s]*)+$")
_ASK_LEAD = (r"请问一下|请问|請問|我想问一下|我想问|我想問|想问一下|想问|想問|我想咨询一下|我想咨询|想咨询一下|想咨询|"
             r"咨询一下|我想諮詢|諮詢一下|我想了解一下|想了解一下|想了解|麻烦问一下|顺便问一下|我想知道|想知道|"
             r"请教一下|想请教一下|想请教|麻烦问下|问下|请帮忙查一下|帮忙查一下|帮我查一下|我想请问|我想打听一下|想打听一下")
# the citizen's own numbering: 第一，/ （1）/ 一、/ 1. / 一是 / ① / 首先、其次、最后
_NUMBER_LEAD = (r"第[一二三四五六七八九十]+[，,、.．:：]?|[（(]\d{1,2}[）)]|[（(][一二三四五六七八九十]{1,2}[）)]|"
                r"[一二三四五六七八九十][、.．:：]|[一二三四五六七八九十]是(?!否)[，,：:]?|[①-⑳]|"
                r"(?:首先|其次|再次|再者|最后)[，,、：:]?|\d{1,2}[、.．:：)）](?!\d)")
_NUMBERING = re.compile(r"^\s*(?:" + _NUMBER_LEAD + ")")
_LEAD = re.compile(r"^(?:[，,、：:\s]|您好|你好|" + _ASK_LEAD + r"|另外|还有|還有|此外|同时|以及|再问一下|再问|还想问一下|"
                   r"还想问|那么|" + _NUMBER_LEAD + r")+")
_CONNECTIVE = re.compile(r"^\s*(?:另外|还有|還有|此外|同时|以及|再问|还想问|请问|請問|顺便问|" + _NUMBER_LEAD + ")")
_ASK_LEAD_RE = re.compile(r"^\s*(?:" + _ASK_LEAD + ")")
_COMMA = re.compile(r"[，,]")
_TAIL = re.compile(r"(?:是多少钱|是多少|为多少|是什么|有哪些|是怎样的|是怎么样的)$")
_PARTICLES = re.compile(r"[吗呢啊呀吧嗎]+$")
# 想咨询几个问题： / 有以下问题 / 问题如下: announces the questions, is not one
_ANNOUNCE = re.compile(r"^.{0,12}?(?:几|以下|下面|如下|一些|这些|[两二三四五六七八九十\d]+)?个?问题(?:如下)?$")
_COLON_BEFORE_LIST = re.compile(r"[：:](?=\s*(?:" + _NUMBER_LEAD + "))")
_CN_DIGITS = "零一二三四五六七八九十"


@dataclass(frozen=True)
class Question:
    text: str  # as the citizen wrote it, lead-ins (请问, 另外…) and end punctuation removed
    asked: str  # what is asked of the assistant
    carried_city: str | None = None  # the place added from earlier in the message, if any
    follows: int | None = None  # 漯河呢？ asks question ``follows`` (1-based) again for another place


def clean_message(message: Any) -> str:
    """The message stripped of control characters; empty or over-long is an ``InputError``."""
    if message is None:
        raise InputError("留言不能为空（empty message）")
    text = _CONTROL.sub(" ", replace_surrogates(str(message))).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise InputError("留言不能为空（empty message）")
    if len(text) > MAX_MESSAGE_CHARS:
        raise InputError(f"留言过长：{len(text)} 字，上限 {MAX_MESSAGE_CHARS} 字，请分开提交"
                         f"（message too long: {len(text)} > {MAX_MESSAGE_CHARS} characters）")
    return text


def _places(text: str) -> list[Place]:
    return [p for p, _, _ in find_places(normalize(text))]


def _regions(text: str) -> set[str]:
    return {p.region for p in _places(text) if p.level != "province"}


def _strip_lead(text: str) -> str:
    prev = None
    while prev != text:
        prev, text = text, _LEAD.sub("", text).strip()
    return text


def _bare(segment: str) -> str:
    """A segment without lead-ins and end punctuation."""
    text = _strip_lead(segment).rstrip("。！？!?；;，,、：: \n\t").strip()
    return _PARTICLES.sub("", text).rstrip("，,、 ") or text


def _split_commas(sentence: str) -> list[str]:
    """Split at a comma that starts a second question (``…多少钱，另外…多少钱？``, ``焦作…多少钱，洛阳…多少钱``)
    or that ends a context clause before the question (``我家在焦作，想问一下…``); leave
    ``…多少人，发了多少钱`` whole."""
    parts = []
    rest = sentence
    while True:
        for m in _COMMA.finditer(rest):
            left, right = rest[:m.start()], rest[m.end():]
            if not _ASK_WORD.search(right):
                continue
            if _ASK_WORD.search(left):
                split = bool(_CONNECTIVE.match(right) or (_regions(right) - _regions(left)))
            else:
                split = bool(_ASK_LEAD_RE.match(right)) and bool(_bare(left))
            if split:
                parts.append(left + m.group())
                rest = right
                break
        else:
            parts.append(rest)
            return parts


def segments(message: str) -> list[str]:
    """The message cut into sentences (and comma-joined second questions)."""
    out = []
    for m in SENTENCE_PIECE.finditer(message):
        sentence = _COLON_BEFORE_LIST.sub(lambda c: c.group() + "\n", m.group())
        head, colon, tail = sentence.partition("：") if "：" in sentence else sentence.partition(":")
        if colon and _ANNOUNCE.match(_bare(head)):  # 问题如下：焦作…？
            sentence = head + colon + "\n" + tail
        for s in sentence.split("\n"):
            if s.strip():
                out.extend(p.strip() for p in _split_commas(s.strip()) if p.strip())
    return out


def _follow_up(bare: str, previous: Question | None, number: int) -> Question | None:
    """``漯河呢`` / ``那农村的呢`` right after a question: that question again with the new slots,
    resolved as the chat resolves a follow-up (``followup.resolve``)."""
    if previous is None:
        return None
    try:
        asked = resolve_follow_up(bare, [previous.asked])
    except InputError:
        return None
    # asked as the other questions of a message are: no end punctuation
    return Question(text=bare, asked=asked.rstrip("。！？!?；;，, "), follows=number) if asked else None


def parse_message(message: Any) -> tuple[list[Question], list[str]]:
    """The questions of a message, in order, and the sentences kept only as context.

    Raises ``InputError`` for an empty or over-long message, no question, too many
    questions or an over-long question (naming which one and the limit).
    """
    text = clean_message(message)
    segs = [s for s in segments(text) if _bare(s) and not _COURTESY.match(_bare(s))]
    asking = [i for i, s in enumerate(segs)
              if (_ASK.search(s) or _NUMBERING.match(s)) and not _ANNOUNCE.match(_bare(s))]
    # with no explicit question (焦作市农村低保标准。) every remaining sentence is one
    chosen = set(asking) if asking else set(range(len(segs)))
    questions: list[Question] = []
    context: list[str] = []
    seen_regions: list[str] = []  # city/county regions named so far, in order
    seen_places: dict[str, Place] = {}
    for i, s in enumerate(segs):
        places = _places(s)
        if i in chosen:
            bare = _bare(s)
            q = _follow_up(bare, questions[-1] if questions else None, len(questions))
            if q is None:
                q = Question(text=bare, asked=bare)
                distinct = list(dict.fromkeys(seen_regions))
                if not places and len(distinct) == 1:
                    place = seen_places[distinct[0]]
                    q = Question(text=bare, asked=place.name + bare, carried_city=place.name)
            questions.append(q)
        elif not _ANNOUNCE.match(_bare(s)):
            context.append(_bare(s))
        for p in places:
            if p.level != "province":
                seen_regions.append(p.region)
                seen_places.setdefault(p.region, p)
    if not questions:
        raise InputError("留言中没有找到问题，请写明要咨询的内容，例如：焦作市农村低保标准是多少？"
                         "（no question found in the message）")
    if len(questions) > MAX_QUESTIONS:
        raise InputError(f"留言中有 {len(questions)} 个问题，超过上限 {MAX_QUESTIONS} 个，请分开提交"
                         f"（too many questions: {len(questions)} > {MAX_QUESTIONS}）")
    for n, q in enumerate(questions, 1):
        if len(q.asked) > MAX_QUESTION_CHARS:
            raise InputError(f"第 {n} 个问题过长：{len(q.asked)} 字，单个问题上限 {MAX_QUESTION_CHARS} 字，"
                             f"请用问号或句号分开（question {n} too long: > {MAX_QUESTION_CHARS} characters）")
    return questions, context


def split_questions(message: Any) -> list[Question]:
    """The questions of a message (see ``parse_message``)."""
    return parse_message(message)[0]


def read_message_file(path: str | Path) -> str:
    """A message file's text: UTF-8 or GB18030 (as ``ingest``), with a clear error naming the file."""
    p = Path(path)
    try:
        if not p.exists():
            raise InputError(f"找不到留言文件：{p}（file not found）")
        if not p.is_file():
            raise InputError(f"留言文件不是普通文件：{p}（not a regular file）")
        size = p.stat().st_size
        if size > MAX_MESSAGE_FILE_BYTES:
            raise InputError(f"留言文件过大：{p.name} 为 {size} 字节，留言上限 {MAX_MESSAGE_CHARS} 字"
                             f"（message file too large: over {MAX_MESSAGE_CHARS} characters）")
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取留言文件：{p}：{exc.strerror or exc}（cannot read file）") from None
    return decode_bytes(data, p.name)[0]


# -- the draft ------------------------------------------------------------------------------

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
    t = _PARTICLES.sub("", question.rstrip("。！？!?；;，, "))
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
    questions, context = parse_message(text)
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


# -- export ---------------------------------------------------------------------------------

def _body_paragraphs(body: str) -> list[str]:
    return [ln.strip() for ln in body.replace("\r\n", "\n").split("\n") if ln.strip()]


def render_markdown(title: str, body: str, sources_heading: str, source_lines: tuple[str, ...] | list[str]) -> str:
    parts = [f"# {title}", *_body_paragraphs(body)]
    if source_lines:
        parts.append(f"## {sources_heading}")
        parts.append("\n".join(f"- {line}" for line in source_lines))
    return "\n\n".join(parts) + "\n"


def _write_new(path: Path, text: str) -> None:
    with open(path, "x", encoding="utf-8", newline="\n") as f:
        f.write(text)


def _write_docx(path: Path, title: str, body: str, sources_heading: str, source_lines) -> None:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    for style_name, size in (("Normal", 12), ("Title", 20), ("Heading 1", 16)):
        style = doc.styles[style_name]
        style.font.size = Pt(size)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), "宋体")
    doc.add_heading(title, level=0)
    for para in _body_paragraphs(body):
        doc.add_paragraph(para)
    if source_lines:
        doc.add_heading(sources_heading, level=1)
        for line in source_lines:
            doc.add_paragraph(line)
    doc.save(str(path))


def check_export_path(path: str | Path, suffixes: tuple[str, ...] = EXPORT_SUFFIXES) -> Path:
    """The output path, or an ``InputError`` for a wrong suffix or a missing folder (nothing written)."""
    p = Path(path).expanduser()
    if p.suffix.lower() not in suffixes:
        raise InputError(f"不支持的导出格式：{p.name}（支持 {'、'.join(suffixes)}）"
                         f"（unsupported output type {p.suffix!r}）")
    if p.is_dir():
        raise InputError(f"导出路径是一个目录：{p}（output path is a directory）")
    if not p.parent.is_dir():
        raise InputError(f"导出目录不存在：{p.parent}（output folder does not exist）")
    return p


def export(path: str | Path, title: str, body: str, sources_heading: str,
           source_lines: tuple[str, ...] | list[str]) -> Path:
    """Write the reply to ``path`` (``.docx`` via python-docx, or ``.md``), atomically."""
    p = check_export_path(path)
    if not body or not body.strip():
        raise InputError("答复正文为空，未导出（empty reply, nothing exported）")
    try:
        if p.suffix.lower() == ".md":
            md = render_markdown(title, body, sources_heading, source_lines)
            write_atomically(p, lambda t: _write_new(t, md))
        else:
            write_atomically(p, lambda t: _write_docx(t, title, body, sources_heading, source_lines))
    except OSError as exc:
        raise InputError(f"无法写入 {p}：{exc.strerror or exc}（cannot write output）") from None
    return p

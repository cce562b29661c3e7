"""A citizen's message cut into questions: sentence ends, a comma that starts a second question,
the citizen's own numbering; greetings and thanks dropped, context sentences kept apart, the one
city named before carried to a question that names none, and 漯河呢？ resolved as the chat would."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.errors import InputError
from ingest.loading import decode_bytes
from ingest.places import Place, find_places
from ingest.text import SENTENCE_PIECE, normalize

from ..examples import first_example
from ..followup import resolve as resolve_follow_up
from ..query import MAX_QUESTION_CHARS, clean_input

MAX_MESSAGE_CHARS = 5000
MAX_QUESTIONS = 10
# a file larger than this cannot hold MAX_MESSAGE_CHARS characters (≤ 4 bytes each), whitespace allowed
MAX_MESSAGE_FILE_BYTES = MAX_MESSAGE_CHARS * 4 + 4096

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
# end particles (吗呢…), also taken off a topic (draft.topic_of)
PARTICLES = re.compile(r"[吗呢啊呀吧嗎]+$")
# 想咨询几个问题： / 有以下问题 / 问题如下: announces the questions, is not one
_ANNOUNCE = re.compile(r"^.{0,12}?(?:几|以下|下面|如下|一些|这些|[两二三四五六七八九十\d]+)?个?问题(?:如下)?$")
_COLON_BEFORE_LIST = re.compile(r"[：:](?=\s*(?:" + _NUMBER_LEAD + "))")


@dataclass(frozen=True)
class Question:
    text: str  # as the citizen wrote it, lead-ins (请问, 另外…) and end punctuation removed
    asked: str  # what is asked of the assistant
    carried_city: str | None = None  # the place added from earlier in the message, if any
    follows: int | None = None  # 漯河呢？ asks question ``follows`` (1-based) again for another place


def clean_message(message: Any) -> str:
    """The message stripped of control characters; empty or over-long is an ``InputError``."""
    return clean_input(message, MAX_MESSAGE_CHARS, "留言", "message", "请分开提交")  # \r is a control: a space


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
    return PARTICLES.sub("", text).rstrip("，,、 ") or text


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


def parse_message(message: Any, example: str | None = None) -> tuple[list[Question], list[str]]:
    """The questions of a message, in order, and the sentences kept only as context.

    Raises ``InputError`` for an empty or over-long message, no question, too many
    questions or an over-long question (naming which one and the limit). The "no question"
    error gives ``example`` (a question the index can answer, ``assistant.examples``), else a
    question that names no place.
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
        raise InputError(f"留言中没有找到问题，请写明要咨询的内容，例如：{example or first_example(None, None)}"
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


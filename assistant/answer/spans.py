"""Where an answer's span begins and ends in a document: sentences, clauses, headings, a FAQ's
答 after its 问, numbered lists, and the region leading a quoted claim."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ingest.chunking import split_sentences
from ingest.doc_period import past_stamp
from ingest.text import HAN, alternation

from ..vocabulary import fact_words
from .figures import numbers, quantities

if TYPE_CHECKING:  # pragma: no cover
    from .candidates import Candidate


HEADING_CHARS = 30  # a line this short, ending without 。, heads what follows it

MAX_ITEMS_UP = 8  # list lines a list item's heading may stand above it
_BULLET = re.compile(r"[·•●▪◆]")  # a bulleted list item's mark (a short numbered line, 1.申请条件, may head)


def heading_before(text: str, pos: int) -> str:
    """The line before offset ``pos``'s line when it is a heading (三、所需材料, 【申请材料】), else "".
    A list item's (· 低保对象按75%救助；) is above the items before it and their lead ending on a
    colon (个人自付费用：), which is read with it: 【住院救助】 经基本医保…个人自付费用："""
    line, at = _line_before(text, pos)
    lead = ""
    for _ in range(MAX_ITEMS_UP):  # up through the items before it, to their lead and its heading
        line = line.strip()
        item = bool(_BULLET.match(line))  # · 特困人员：…: an item, however short, never a heading
        if not item and len(line) <= HEADING_CHARS and not line.endswith(("。", "；", ";", "：", ":")):
            return " ".join(x for x in (line, lead) if x)
        if not (item or line.endswith(("；", ";", "：", ":"))) or lead:
            return lead  # no heading above: the lead alone (申请材料如下：)
        if line.endswith(("：", ":")):
            lead = line
        line, at = _line_before(text, at)
    return lead

def section_heading(text: str, pos: int, max_back: int = 3000) -> str:
    """The heading of the section holding offset ``pos`` (三、2026年工作计划, 第二章 …): the nearest line
    above it, at most ``max_back`` characters back, that :data:`HEADING` matches; "" when none."""
    line, at = _line_before(text, pos + 1)
    while line and pos - at <= max_back:
        if HEADING.match(line):
            return line.strip()
        line, at = _line_before(text, at)
    return ""


def _line_before(text: str, pos: int) -> tuple[str, int]:
    """The nearest non-blank line before the one holding offset ``pos`` (a heading, a FAQ's 问), and
    its start."""
    line_start = max(text.rfind("\n", 0, pos), 0)
    while line_start > 0:
        prev = text.rfind("\n", 0, line_start) + 1
        if text[prev:line_start].strip():
            return text[prev:line_start], prev
        line_start = max(prev - 1, 0)
    return "", 0

def sentence_at(text: str, pos: int) -> tuple[int, int]:
    """The sentence of ``text`` holding offset ``pos`` (split as ingest splits)."""
    a = max(text.rfind(ch, 0, pos) for ch in "。！？；!?;\n") + 1
    ends = [i for i in (text.find(ch, pos) for ch in "。！？；!?;\n") if i >= 0]
    b = min(ends) if ends else len(text)
    while a < b and text[a].isspace():
        a += 1
    return a, b

ARTICLE = re.compile(r"^\s*第[一二三四五六七八九十百零〇\d]+条\s*")

AGE_BAND = re.compile(r"\d+\s*(?:周?岁)?\s*[-–—~～至到]\s*\d+\s*周?岁|\d+\s*周?岁(?:及)?以[上下]|(?<![\d一二两三四五六七八九十])百岁")

CLAUSE = re.compile(r"[^，,；;。！？!?]+[，,；;。！？!?]*")


_NEXT_CLAUSE = re.compile(r"[，,、][^，,；;。！？]*")

_CLAUSE_MARKS = "，,；;。！？\n"


def clause_span(text: str, at: int) -> tuple[int, int]:
    """(start, end) of the clause (between ，；。 and line ends) holding offset ``at``."""
    start = max(text.rfind(p, 0, at) for p in _CLAUSE_MARKS) + 1
    ends = [i for p in _CLAUSE_MARKS if (i := text.find(p, at)) >= 0]
    return start, min(ends, default=len(text))


# what completes a duration figure: 3个工作日 is a limit only with the 内 after it (3个工作日内作出审批决定)
_WITHIN = re.compile(r"[以之]?内")


def whole_duration(text: str, end: int, extended: bool = False) -> int:
    """``end``, or the end of its clause when a span would stop inside a duration phrase: right
    after a duration figure whose 内 / 以内 / 之内 follows (区民政局在3个工作日 | 内作出审批决定);
    ``extended`` (a time limit asked): on to the clause that extends it (:func:`with_extension`)."""
    if extended:
        return with_extension(text, whole_duration(text, end))
    if not _WITHIN.match(text, end):
        return end
    clause_start = clause_span(text, max(end - 1, 0))[0]
    if not any(q.dimension == "duration" and q.end + clause_start == end
               for q in quantities(text[clause_start:end])):
        return end
    return clause_span(text, end)[1]


def with_extension(text: str, end: int) -> int:
    """``end``, or the end of the clause of the sentence right after (or after one condition
    clause) that extends the time limit ending at ``end`` (…十个工作日内作出审核确认决定，特殊情况可以
    延长至十五个工作日): a limit asked is never quoted without what may extend it (vocabulary
    selection ``extension``); a clause with another duration and no such word ends the search."""
    words = dict(fact_words().selection).get("extension", ())
    at = end
    for _ in range(2):  # the extension, or a condition clause then it (需要跨部门协查的，可以延长至10个工作日)
        if not text.startswith(("，", ",", "；", ";"), at):
            return end
        start, at = clause_span(text, at + 1)
        clause = text[start:at]
        timed = any(q.dimension == "duration" for q in quantities(clause))
        if timed:
            return at if any(w in clause for w in words) else end
    return end


def clause_at(text: str, at: int) -> str:
    """The clause holding offset ``at``: 自7月25日开业 of 自7月25日开业，截止目前，…"""
    start, end = clause_span(text, at)
    return text[start:end]


def extend_to_next_figure(text: str, end: int, sent_end: int) -> int:
    """For a question asking two figures: take the following clause too when it holds a figure."""
    m = _NEXT_CLAUSE.match(text, end) if end < sent_end else None
    if m and m.end() <= sent_end and (numbers(m.group()) or quantities(m.group())):
        return m.end()
    return end

HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|【[^】]{1,10}】|第[一二三四五六七八九十]+[章节])"
                      r"[^，,。；;]{0,12}[：:]?\s*$")

FAQ_REPLY = re.compile(r"^\s*答[：:]")

DOC_QUESTION = re.compile(r"^\s*问[：:]|[？?]\s*$")

_LIST_ITEM = re.compile(r"(?:^|[；;：:])\s*(?:\d+[.、．]|[（(]\d+[）)]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)")

MAX_REPLY_CHARS = 400

def reply_after(text: str, end: int) -> tuple[int, int] | None:
    """The 答 paragraph right after a document's own question ending at ``end``, or None."""
    m = re.compile(r"\s*(答[：:])").match(text, end)
    if not m:
        return None
    start = m.start(1)
    stop = text.find("\n", start)
    stop = len(text) if stop < 0 else stop
    return start, min(stop, start + MAX_REPLY_CHARS)

def replied_question(text: str, start: int) -> str:
    """The 问 line a sentence at ``start`` of a FAQ's 答 paragraph (any sentence of it) replies to —
    the line before the paragraph, past blank lines —, or "" when the sentence is no 答's."""
    line_start = text.rfind("\n", 0, start)
    if not FAQ_REPLY.match(text[line_start + 1:start + 4]):
        return ""
    asked_end = len(text[:max(line_start, 0)].rstrip("\n"))
    return text[text.rfind("\n", 0, asked_end) + 1:asked_end]


# a paragraph led by a run-in head: a short sentence of its own, then the paragraph goes on (明确救助范围。对因…)
_RUN_IN = re.compile(rf"\s*[{HAN}]{{2,12}}[。.][ \t\u3000]*[^\n\s]")


def extend_sentence(doc_text: str, c: "Candidate", run_in: bool = True) -> int:
    """For procedure/general answers: the sentence, plus the next one of the chunk when
    the first only announces the topic (short); a list (1.…；2.…) to the end of its paragraph; a
    sentence ending its paragraph before paragraphs led by run-in heads, through those paragraphs
    (``run_in``: when no figure is asked — a figure's sentence is its own answer)."""
    line_end = doc_text.find("\n", c.start)
    line_end = len(doc_text) if line_end < 0 else line_end
    if _LIST_ITEM.search(doc_text, c.start, line_end) and line_end > c.end:
        return min(line_end, c.start + MAX_REPLY_CHARS)
    if run_in and not doc_text[c.end:line_end].strip() and _RUN_IN.match(doc_text, line_end):
        # 近日出台措施，进一步规范临时救助工作。 ending its paragraph, the next ones each led by a run-in
        # head (明确救助范围。对因…): what it announces is that run of paragraphs, all of them
        end = line_end
        while (m := _RUN_IN.match(doc_text, end)) is not None:
            nxt = doc_text.find("\n", m.end())
            nxt = len(doc_text) if nxt < 0 else nxt
            if nxt - c.start > MAX_REPLY_CHARS:
                break
            end = nxt
        return end if end > line_end else c.end
    if c.end - c.start >= 40:
        return c.end
    nxt = split_sentences(doc_text[c.end:c.chunk.end], c.end)
    if not nxt:
        return c.end
    following = doc_text[nxt[0][0]:nxt[0][1]]
    if "\n\n" in doc_text[c.end:nxt[0][1]].strip():
        return c.end  # a paragraph ends here: what follows (a signature, the next item) is another matter
    if DOC_QUESTION.search(following) or HEADING.match(following):
        return c.end  # the next 问：…？ or 二、… starts another topic: it answers nothing asked here
    return nxt[0][1]

_ITEM_LINE = re.compile(r"[ \t\u3000]*(?:\d+\s*[.、．]|[（(]\d+[）)]|[（(][一二三四五六七八九十]+[）)])")

def whole_list(text: str, start: int, end: int) -> tuple[int, int]:
    """An item of a numbered list (1.申请书；2.身份证…, on one line or one line per item) answers
    with the whole list, from its first item to its last (bounded by MAX_REPLY_CHARS); any other
    span as given."""
    if not _ITEM_LINE.match(text, start):
        return start, end
    line_start = text.rfind("\n", 0, start) + 1
    first = next((m.start() for m in _ITEM_LINE.finditer(text, line_start, start + 1)
                  if m.start() == line_start or text[m.start() - 1] in "；;。：: 】]"), start)
    while first == line_start and first > 0:  # one item per line: the lines of items before
        prev = text.rfind("\n", 0, first - 1) + 1
        if prev == first or not _ITEM_LINE.match(text, prev):
            break
        first = line_start = prev
    last = text.find("\n", end)
    last = len(text) if last < 0 else last
    while last + 1 < len(text) and _ITEM_LINE.match(text, last + 1) and last - first < MAX_REPLY_CHARS:
        nxt = text.find("\n", last + 1)
        last = len(text) if nxt < 0 else nxt
    return first, min(max(last, end), first + MAX_REPLY_CHARS)

def list_lead(text: str, pos: int) -> str:
    """The sentence announcing the numbered list whose item holds offset ``pos`` (…可以享受以下优惠
    补助：1、…；2、…): what every item is about; "" when ``pos`` is in no such list."""
    start = sentence_at(text, pos)[0]
    if not _ITEM_LINE.match(text, start):
        return _run_in_lead(text, start)
    first = whole_list(text, start, start + 1)[0]
    before = text[:first].rstrip()
    if not before.endswith(("：", ":")):
        return ""
    a, b = sentence_at(text, len(before) - 1)
    return text[a:b + 1]


MAX_RUN_ITEMS = 30  # items of a ；-separated run looked back through for its lead


def _run_in_lead(text: str, start: int) -> str:
    span = run_lead(text, start)
    return text[span[0]:span[1]] if span else ""


def clause_from(text: str, sentence_start: int, at: int) -> int:
    """Where the clause holding offset ``at`` starts (after the last ，/；before it, in its sentence)."""
    return max(sentence_start, *(text.rfind(p, 0, at) + 1 for p in "，；;"))


def colon_lead(text: str, sentence_start: int, at: int) -> tuple[int, int] | None:
    """The sentence's words up to a colon before ``at`` (困难残疾人生活补贴：…), or None."""
    colon = max(text.rfind("：", sentence_start, at), text.rfind(":", sentence_start, at))
    return (sentence_start, colon + 1) if colon >= 0 else None


ITEM_LABEL_CHARS = 16  # the longest label of a run's item (2．90—99周岁：), before its own colon


def run_lead(text: str, start: int) -> tuple[int, int] | None:
    """The lead of the ；-separated run whose item starts at ``start`` (发放标准按年龄段共分五档：
    65至69周岁，每人每月75元；…；80至89周岁，每人每月180元): the span of the first item's sentence
    up to its colon, what every item is about; None when the item follows no ；, or no colon
    leads the run."""
    pos = start
    for _ in range(MAX_RUN_ITEMS):
        if pos < 2 or text[pos - 1] not in "；;":
            return None
        a = sentence_at(text, pos - 2)[0]
        colons = [i for i in (text.find("：", a, pos - 1), text.find(":", a, pos - 1)) if i >= 0]
        colon = min(colons, default=-1)
        # an item's own label (2．90—99周岁：每人每月300元；) is no lead: the run goes on before it
        if colon >= 0 and not (colon - a <= ITEM_LABEL_CHARS and AGE_BAND.search(text, a, colon)):
            return a, colon + 1
        pos = a
    return None


@lru_cache(maxsize=1)
def _own_place() -> tuple[re.Pattern, re.Pattern]:
    """The words of a quote that stand for its document's place (vocabulary facts.selection
    own_place, own_place_within: 全市城市低保标准…): the region is said there."""
    sel = dict(fact_words().selection)
    return (re.compile(rf"^({alternation(sel.get('own_place', ()))})(?=[{HAN}])"),
            re.compile(f"({alternation(sel.get('own_place_within', ()))})"))


def lead_with_region(claim: str, region: str) -> str:
    """A quoted claim as an answer line says it: a document's [n] written 〔n〕, its layout (a
    FAQ's 答：, a 办法's 第三条, a web page's stamp and labels 正文：/原标题：) and its closing
    punctuation dropped (the line's own 。 follows its label), and the region said where the quote's
    own word for its place stands (全市 → 南充市). The region is never glued in front of a quote
    that does not start with its subject — a heading number (四、), a pronoun or connective (这是 /
    此外), a materials list, a place already named: it is in the line's trailing label
    (…[1]（南充市阆中市，2025年）), which every caller writes."""
    # a document's own bracketed number (铅府办发[2022]4号) is written 〔2022〕: [n] marks a citation
    claim = re.sub(r"\[(\d+)\]", r"〔\1〕", claim)
    claim = re.sub(r"^\s*答[：:]\s*", "", claim)  # a FAQ's 答： label is the document's layout, not the answer
    claim = ARTICLE.sub("", claim)  # so is a 办法's 第三条
    claim = claim[past_stamp(claim):] or claim  # and a web page's 2024-03-05 09:12，正文：原标题：
    claim = claim.rstrip("。，,；; ")
    if not region:
        return claim
    opening, within = _own_place()
    m = opening.match(claim)
    if m:
        return region + claim[m.end():]
    m = within.search(claim[:12])
    if m:
        return claim[:m.start()] + region + claim[m.end():]
    return claim


RUN_CONTEXT_CHARS = 200  # how far back the earlier ；-parts of a sentence are read
BREAKDOWN_OPENING_CHARS = 12  # the longest opening phrase of a breakdown (分县（市、区）看)


def _breakdown(text: str, s: int) -> bool:
    """The sentence at ``s`` breaks down the figure of the sentence before it: it opens with a short
    phrase like 分县（市、区）看， (vocabulary facts.selection.breakdown_open / breakdown_close)."""
    words = dict(fact_words().selection)
    head = text[s:s + BREAKDOWN_OPENING_CHARS + 1]
    cut = min((i for i in (head.find("，"), head.find(",")) if i > 0), default=-1)
    return cut > 0 and head.startswith(words.get("breakdown_open", ())) and \
        head[:cut].endswith(words.get("breakdown_close", ()))


def run_before(text: str, s: int) -> tuple[str, int]:
    """The earlier ；-parts of the sentence whose part starts at ``s``, or the sentence before a
    breakdown (分县看，…) at ``s``, and where it starts (("", s) when there is none)."""
    if s < 1 or text[s - 1] not in "；;" and not (text[s - 1] in "。" and _breakdown(text, s)):
        return "", s
    lo = max(0, s - RUN_CONTEXT_CHARS)
    start = max(max(text.rfind(ch, lo, s - 1) for ch in "。！？!?\n") + 1, lo)
    return text[start:s - 1], start


def said_phone(text: str, s: int, e: int) -> bool:
    """Sentence ``s:e`` or its heading says it is a phone line (vocabulary facts.asked.contact: 七、咨询电话
    over 2825316), so a local number without its area code there is one."""
    return any(w in text[s:e] + heading_before(text, s) for w in dict(fact_words().asked).get("contact", ()))

"""Undo the layout artifacts these reports really have.

Seen in the seeds:
- paragraphs hard-wrapped every ~20 characters (000, 004), sometimes with blank
  lines between the wrapped lines (000) or a photo caption in the middle (001);
- letter-spaced text (``专 项 督 查 组``) and stray spaces from joins (``救灾物 资``);
- headings set vertically, one character per line (``多\\n措\\n并\\n举``);
- photo captions, photographer credits and bylines;
- markdown headings (``## 3 聚焦兜底脱贫``);
- a tab-separated table (002), which is kept line by line.

Seen in office documents since: a guide's lists (申请书； / 1.户口簿 / ``<li>``), whose short items are
text, never headings that head nothing, and whose numbered lines open paragraphs (``ingest.text.enumerator``:
after a line ending no clause, or when a section of another family opens); a signature (issuers, date:
``ingest.signature``), which is its own paragraph.

``clean`` returns the text that every chunk offset refers to. Headings end up on
lines of their own and are marked by ``split_blocks``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .safe_text import strip_controls
from .signature import signature_line
from .text import CJK, CLAUSE_END, COMMA_LIKE, ENUMERATOR_POINT, HAN, TERMINAL, enumerator

# the layout patterns this module reads, by name, compiled once (_RE["heading_md"])
_RE = {name: re.compile(pattern) for name, pattern in {
    "heading_md": r"^\s*#{1,6}\s*(.+?)\s*#*\s*$",
    # a markdown pipe table: `| a | b |` rows and the `|---|:--:|` rule under the header
    "md_table_row": r"^\|(.*\|.*)\|$",
    "md_table_rule": r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?$",
    "space_run": r"[ \u3000\u00a0]+",
    "cjk_space": rf"(?<=[{CJK},;:]) +(?=[{CJK}0-9A-Za-z%])|(?<=[{CJK}0-9A-Za-z%]) +(?=[{CJK}])",
    "letter_spaced": rf"[{HAN}](?: [{HAN}]){{2,}}",
    "one_char": rf"^[{HAN}]$",
    "new_paragraph": r"^(本报讯|——)",
    # a photographer's credit at the end of a body sentence: …尽快运达疫情防控一线。 新华社记者 陈斌 摄
    "credit_tail": rf"\s+(?:\S{{0,8}}记者\s*)?[{HAN}]{{2,4}}(?:\s+[{HAN}]{{2,4}})*\s*摄$",
    "figure": r"[0-9０-９]",
    "fullwidth_alnum": r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff05\uff0e]",
}.items()}
# a line that is one of these is a photo caption, or a byline / author credit
_CAPTION = tuple(re.compile(p) for p in (
    r"^图为",
    rf"^[{HAN}]{{2,4}}\s+摄$",
    rf"\s[{HAN}]{{2,4}}\s*摄$",
    r"^[(（]本版图片由.+提供[)）]$",
    rf"^[{HAN}]{{2,12}}二维码$",
))
_BYLINE = tuple(re.compile(p) for p in (
    r"^■?\s*本报(记者|通讯员)\s",
    r"^记者\s+\S+\s+通讯员",
    r"^■\s*本报记者",
    rf"^[(（][{HAN} ]{{2,12}}[)）]$",  # author credit: （余勇 张效纲）
))
# what leaves a clause open: a list item's number after one of these is inside the sentence
MID_CLAUSE = "，,、（(《“‘—-"
# the numbers that open sections, not the items of a list (二、 第三条)
SECTION_FAMILIES = ("han", "article")
# a short line ending so is a list item (申请书；), never a heading
ITEM_END = "；;，,、"
CAPTION_MAX = 60  # a caption is a line or two; a longer line is body text whatever it ends with


@dataclass
class _Line:
    text: str
    raw_len: int  # length with layout spaces removed: the wrap width evidence
    kind: str  # "text", "heading", "table"
    gap: int = 0  # blank lines before this line
    caption_before: bool = False


def _halfwidth_alnum(s: str) -> str:
    kept = {m.start(1) for m in ENUMERATOR_POINT.finditer(s)}  # 3．100周岁: the point stays
    return _RE["fullwidth_alnum"].sub(
        lambda m: m.group() if m.start() in kept else unicodedata.normalize("NFKC", m.group()), s)


def _is_terminal(s: str) -> bool:
    s = s.rstrip()
    if not s:
        return True
    if s[-1] in TERMINAL:
        return True
    # a closing quote or bracket ends a sentence only after terminal punctuation
    return s[-1] in "”’）)" and len(s) > 1 and s[-2] in TERMINAL


def _is_caption(s: str) -> bool:
    return any(p.search(s) for p in _CAPTION)


def _is_byline(s: str) -> bool:
    return any(p.search(s) for p in _BYLINE)


def _is_body_sentence(s: str) -> bool:
    """Too long for a caption, or a sentence with figures: text that is never dropped
    as a caption (a single-line news item ending in a photo credit is such a line)."""
    body = _RE["credit_tail"].sub("", s)
    return len(body) > CAPTION_MAX or (bool(_RE["figure"].search(body)) and any(c in body for c in "，。；,;"))


def _despace(s: str, body: bool) -> str:
    s = _RE["space_run"].sub(" ", s).strip()
    s = _RE["letter_spaced"].sub(lambda m: m.group().replace(" ", ""), s)
    if body:
        s = _RE["cjk_space"].sub("", s)
    return s


def _read_lines(text: str, captions: bool = True) -> list[_Line]:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # control characters (terminal escapes, BEL, NUL…) never reach a chunk; page breaks are breaks
    text = strip_controls(text.replace("\x0c", "\n").replace("\x0b", "\n"))
    text = re.sub(r"[\u200b-\u200d\u2060\ufeff]", "", text)
    out: list[_Line] = []
    gap = gap_before_caption = 0
    caption = False
    for raw in text.split("\n"):
        raw = raw.rstrip()
        stripped = raw.strip(" \u3000\u00a0")
        if not stripped:
            gap += 1
            continue
        if _RE["md_table_rule"].match(stripped):
            continue  # the rule only separates a markdown table's header from its rows
        md_row = _RE["md_table_row"].match(stripped)
        if md_row:  # the same table line a tab-separated row gives
            raw = "\t".join(c.strip() for c in md_row.group(1).split("|"))
        if "\t" in raw:
            cells = [c.strip() for c in raw.split("\t")]
            out.append(_Line("\t".join(cells).strip("\t") if cells[0] else "\t".join(cells).rstrip("\t"),
                             len(raw), "table", gap, caption))
            gap, caption = 0, False
            continue
        m = _RE["heading_md"].match(stripped)
        if m:
            out.append(_Line(_despace(m.group(1), body=False), len(stripped), "heading", gap, caption))
            gap, caption = 0, False
            continue
        continues = bool(out) and gap == 0 and out[-1].kind == "text" and out[-1].text[-1] in COMMA_LIKE
        looks_like_caption = captions and not continues and (_is_caption(stripped) or _is_byline(stripped))
        if looks_like_caption and _is_body_sentence(stripped):
            stripped = _RE["credit_tail"].sub("", stripped).rstrip()  # keep the sentence, drop the credit
        elif looks_like_caption:
            caption = True
            gap_before_caption = max(gap_before_caption, gap)
            gap = 0
            continue
        if caption:
            gap = max(gap, gap_before_caption)
        gap_before_caption = 0
        out.append(_Line(stripped, len(_despace(stripped, True)), "text", gap, caption))
        gap, caption = 0, False
    # Vertical headings: one Han character per line continues the line before.
    merged: list[_Line] = []
    for ln in out:
        if (ln.kind == "text" and _RE["one_char"].match(ln.text) and merged
                and merged[-1].kind in ("text", "vertical") and ln.gap == 0
                and not _is_terminal(merged[-1].text)):
            merged[-1].text += ln.text
            merged[-1].raw_len += 1
            merged[-1].kind = "vertical"
            continue
        merged.append(ln)
    for ln in merged:
        if ln.kind == "vertical":
            ln.kind = "heading"
    # Isolated short blocks after two or more blank lines are photo captions.
    kept: list[_Line] = []
    for i, ln in enumerate(merged):
        nxt = merged[i + 1] if i + 1 < len(merged) else None
        if (captions and ln.kind == "text" and ln.gap >= 2 and ln.raw_len <= 40 and i > 0
                and (nxt is None or nxt.gap >= 1) and not _is_body_sentence(ln.text)):
            if nxt is not None:
                nxt.caption_before = True
            continue
        kept.append(ln)
    return kept


def _should_join(lines: list[_Line], i: int, first_text: bool, prev_len: int,
                 mid_sentence: bool = False) -> bool:
    cur, nxt = lines[i], lines[i + 1]
    if cur.kind != "text" or nxt.kind != "text":
        return False
    if _is_terminal(cur.text) or _RE["new_paragraph"].match(nxt.text):
        return False
    if nxt.gap and (signature_line(cur.text) or signature_line(nxt.text)):
        return False  # a signature (issuers, date) is its own paragraph: never run into an attached document's title
    if nxt.gap and enumerator(cur.text) in SECTION_FAMILIES and cur.text[-1] not in CLAUSE_END:
        return False  # a section's heading line (三、办理流程) and, after a blank line, its text
    family = enumerator(nxt.text)
    if family and cur.text[-1] not in MID_CLAUSE and not (family == "article" and mid_sentence and nxt.gap == 0):
        # a section or list item (二、 1. （3）) opens a paragraph after a line that ends no clause
        # (一、申请材料 / 1.申请书); after one ending a clause (…；) a list goes on in one paragraph,
        # unless a section of another family opens (4.死亡证明； then 二、办理流程)
        if cur.text[-1] not in CLAUSE_END or (family in SECTION_FAMILIES and enumerator(cur.text) != family):
            return False
    if cur.text[-1] in COMMA_LIKE or (mid_sentence and nxt.gap == 0):
        return True  # a clause goes on; or a wrapped line inside a sentence the line before began
    if cur.raw_len >= 40 or (nxt.raw_len >= 40 and any(c in cur.text for c in "。，,；;")):
        return True
    if first_text or (nxt.caption_before and cur.raw_len < 40):
        return False
    width = max(prev_len, nxt.raw_len)
    return cur.raw_len >= 0.7 * width


def _items_are_text(paragraphs: list[tuple[str, str, bool]], short: set[int]) -> None:
    """Short lines numbered in one family, one after another with nothing between (1.申请书 /
    2.户口簿 / 3.身份证), are a list's items, not headings that head nothing: they become text."""
    families = {i: enumerator(paragraphs[i][1]) for i in short}
    items = {i for i, f in families.items() if f and (families.get(i - 1) == f or families.get(i + 1) == f)}
    for i in items:
        paragraphs[i] = ("text",) + paragraphs[i][1:]


@dataclass(frozen=True)
class Block:
    """A paragraph, heading or table row of the cleaned text, with its offsets."""

    kind: str  # "text", "heading", "table"
    start: int
    end: int


def clean(text: str) -> str:
    """Return the cleaned text (see the module docstring)."""
    return clean_with_blocks(text)[0]


def clean_with_blocks(text: str) -> tuple[str, list[Block]]:
    lines = _read_lines(text)
    if not any(ln.kind == "text" for ln in lines) and text.strip():
        # everything looked like a caption: a document is never dropped whole for that
        lines = _read_lines(text, captions=False)
    paragraphs: list[tuple[str, str, bool]] = []  # (kind, text, joined_to_previous_table)
    short_headings: set[int] = set()  # headings only for being short (not marked up as headings)
    i = 0
    seen_text = False
    while i < len(lines):
        ln = lines[i]
        if ln.kind != "text":
            paragraphs.append((ln.kind, ln.text if ln.kind == "table" else _despace(ln.text, False), ln.gap == 0))
            i += 1
            continue
        parts = [ln.text]
        first = not seen_text
        seen_text = True
        while i + 1 < len(lines) and _should_join(
                lines, i, first and len(parts) == 1, lines[i - 1].raw_len if len(parts) > 1 else 0,
                mid_sentence=len(parts) > 1 and bool(parts[-2]) and parts[-2][-1] in COMMA_LIKE):
            i += 1
            a, b = parts[-1], lines[i].text
            parts.append((" " if a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum() else "") + b)
        para = "".join(parts)
        body = len(para) >= 30 or any(c in para for c in "，。；：、！？,;:")
        kind = "text"
        if not _is_terminal(para) and len(para) <= 30 and (len(parts) == 1 or not body) and para[-1] not in ITEM_END:
            kind = "heading"
            short_headings.add(len(paragraphs))
        paragraphs.append((kind, _despace(para, body), False))
        i += 1
    _items_are_text(paragraphs, short_headings)

    out: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for idx, (kind, para, tight) in enumerate(paragraphs):
        para = _halfwidth_alnum(para)
        if idx > 0:
            sep = "\n" if kind == "table" and paragraphs[idx - 1][0] == "table" else "\n\n"
            if kind == "table" and idx > 0 and paragraphs[idx - 1][0] == "heading" and tight:
                sep = "\n"
            out.append(sep)
            pos += len(sep)
        blocks.append(Block(kind, pos, pos + len(para)))
        out.append(para)
        pos += len(para)
    return "".join(out), blocks

"""One item of a listed series asked: ``小厅800元一次，中厅1200元一次，大厅1600元一次`` lists items
(labels sharing a head, 厅) each with its own figure, an amount or a count (其中海勃湾区152名、乌达区118名:
a district's own count, never the city's total before it). A question naming one (中厅, or its size word
before the head: 中等大小的告别厅 → 中厅; vocabulary facts.item_sizes) is answered only by that
item's figure — never the list's first — and a question naming several by each of theirs.

>>> series("收费价格为：小厅800元一次，中厅1200元一次，大厅1600元一次。")
[('小厅', '800元'), ('中厅', '1200元'), ('大厅', '1600元')]
>>> items_asked("租用中等大小的告别厅一次收多少钱", series("价格为：小厅800元，中厅1200元，大厅1600元"))
[('中厅', '1200元')]
"""
from __future__ import annotations

import os
import re
from dataclasses import replace

from ingest.places import Place, find_places, lookup
from ingest.text import HAN

from ..vocabulary import item_sizes
from .figures import UNITS, quantities

# the units a series item's figure may have: an amount, or a count (海勃湾区152名、乌达区118名)
_UNITS = "|".join(sorted(("万元", *(u for u, d in UNITS.items() if d in ("money", "count") and not u.isascii())),
                         key=len, reverse=True))
# a series item: a short Han label right after a list mark (：，；、) and its figure
_ITEM = re.compile(rf"(?:^|[：:，,；;、])\s*([{HAN}]{{1,6}}?)\s*(\d+(?:\.\d+)?\s*[万亿]?(?:{_UNITS}))")
_BETWEEN = 6  # Han characters a size word may stand before the series' head (大告别厅)


def series(text: str) -> list[tuple[str, str]]:
    """(label, figure) of the first run of two or more items, in one sentence, whose labels share
    a head of their own (小厅, 中厅, 大厅: 厅) — or [] when the text lists none."""
    for sentence in re.split(r"[。\n！？]", text):
        found = list(_ITEM.finditer(sentence))
        if any(re.search(re.escape(m.group(1)) + r"\s*\d", sentence[:m.start(1)]) for m in found):
            continue  # 受理事项2161件，…其中…受理事项488件: a label with a figure before its item names the whole too
        items = [(m.group(1), m.group(2)) for m in found]
        head = os.path.commonprefix([lab[::-1] for lab, _ in items])[::-1] if len(items) > 1 else ""
        if head and all(len(lab) > len(head) for lab, _ in items):
            return items
        # places of one level need no shared head (其中钦南区205名、钦北区176名、灵山县169名)
        named = [_place_ending(lab) for lab, _ in items] if len(items) > 1 else []
        if named and all(named) and len({p.level for p, _ in named}) == 1:
            return [(name, figure) for (_, name), (_, figure) in zip(named, items)]
    return []


def _place_ending(label: str) -> tuple[Place, str] | None:
    """The gazetteer place ``label`` ends with and its name as written (其中钦南区 → 钦南区), or None."""
    found = find_places(label)
    return (found[-1][0], label[found[-1][1]:]) if found and found[-1][2] == len(label) else None


def _head(items: list[tuple[str, str]]) -> str:
    return os.path.commonprefix([lab[::-1] for lab, _ in items])[::-1]


def items_asked(question: str, items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The items of ``items`` the question names: by label, or by its modifier (or a size word of
    the modifier) before the head, only Han characters between."""
    if len(items) < 2:
        return []
    sizes, neutral = item_sizes()
    q = question
    for w in neutral:
        q = q.replace(w, "")  # 大小 / 多大 name no size
    head = _head(items)
    out = []
    for label, figure in items:
        mod = label[:-len(head)]
        place = None if head else lookup(label)
        if label in q or (place is not None and place.short and place.short in q):
            out.append((label, figure))
            continue
        if not head:  # places: named by their name or short name only
            continue
        forms = sorted({mod, *sizes.get(mod, ())}, key=len, reverse=True)
        if any(re.search(re.escape(f) + rf"[{HAN}]{{0,{_BETWEEN}}}?{re.escape(head)}", q) for f in forms):
            out.append((label, figure))
    # a modifier that is part of a longer one asked (大 in 大型 is the same item; 小 of 简易告别厅 none)
    return out if len(out) < len(items) else []


def item_unquoted(question: str, answer: str, cited: str) -> str | None:
    """The label of an item the question names that the answer does not state its figure of, when
    the cited text lists the series (else None)."""
    for label, figure in items_asked(question, series(cited)):
        if figure.replace(" ", "") not in answer.replace(" ", ""):
            return label
    return None


def to_item(question: str, cands: list, doc_texts: dict[str, str]) -> list:
    """``cands`` (answer.candidates, best first) with the best read at the furthest item asked of
    its sentence's series (its figure and clause), when the best is read at another figure."""
    if not cands:
        return cands
    best = cands[0]
    text = doc_texts[best.chunk.source]
    asked = [f.replace(" ", "") for _, f in items_asked(question, series(text[best.start:best.end]))]
    if not asked or (best.figure or "").replace(" ", "") == asked[-1] and len(asked) == 1:
        return cands
    figs = [q for q in quantities(text[best.start:best.end]) if q.text.replace(" ", "") in asked]
    if not figs:
        return cands
    first, q = (replace(x, start=x.start + best.start, end=x.end + best.start) for x in (figs[0], figs[-1]))
    # from the first item asked to the last: 大厅和小厅 asked of 小厅…，中厅…，大厅… reads all three
    clause_start = max(best.start, *(text.rfind(p, best.start, first.start) + 1 for p in "，,；;：:、"))
    clause_end = min([i for i in (text.find(p, q.end, best.end) for p in "，,；;。、") if i >= 0] or [best.end])
    item = replace(best, figure=q.text, quantity=q, clause_start=clause_start, clause_end=clause_end)
    return [item, *cands[1:]]

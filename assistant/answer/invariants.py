"""What must hold before an answer leaves, checked in one place.

``violations(text, answerable, citations, dimension=..., filler=...)`` lists what is wrong:

- an answerable answer has a body (more than a lead line such as ``各地资料中的相关内容如下：``
  and markers) and at least one citation, and every line of a list cites;
- a figure question (``dimension``: money, count, rate) is answered with a cited span that
  holds a figure of that dimension, and the answer itself states one;
- a question word that narrows what is asked (``must_cite``: 低保边缘, 原来, 带什么) has one of
  its words in a cited span, or the answer would be a guess about something else — unless the
  question says it only as part of a longer word of the cited documents (``context``; 服务网上:
  服务网, :func:`said`);
- a duration asked in words (多长时间, 多久: ``durations``, the frequency words) is answered by a
  cited span holding a duration (15个工作日) or one of those words (每季度), never by 定期;
- a question naming one item of a series the cited span lists (小厅…，中厅…，大厅…) is answered
  with that item's figure, each item named with its own (:mod:`.series`), never another's;
- a refusal never quotes (“…”) a filler word of the question as its topic (“搞”).

The grounding check (figures and places in cited spans) runs beside it: :mod:`assistant.grounding`.

>>> violations("各地资料中的相关内容如下：", True, [])
['答案没有正文', '答案没有引用']
"""
from __future__ import annotations

import re
from typing import Iterable, Sequence

from .figures import MONTH_ALONE, PER_HEAD, of_dimension
from .series import item_unquoted

_MARKER = re.compile(r"\[\d+\]")
_LEAD = re.compile(r"^[^\n]{0,40}(?:如下|以下)[^\n]{0,30}[：:]\s*$")
_QUOTED = re.compile(r"[“\"]([^”\"]{1,20})[”\"]")


def body(text: str) -> str:
    """The answer without its lead line, list marks and citation markers."""
    lines = [ln for ln in text.split("\n") if not _LEAD.match(ln.strip())]
    return _MARKER.sub("", "\n".join(lines)).replace("- ", "").strip(" \n。；;，,")


def said(word: str, question: str, text: str = "") -> bool:
    """``word`` is said in ``question`` as a word of its own: some occurrence of it is not cut
    by a longer word of ``text`` (three or four characters) that holds only part of it — in
    服务网上有 over a text holding 服务网, 网上 is the end of 服务网 and 上, not 网上.

    >>> said("网上", "养老服务网上有多少家", "养老服务网共有1478家"), said("网上", "网上怎么申请", "服务网")
    (False, True)
    """
    for m in re.finditer(re.escape(word), question):
        s, e = m.start(), m.end()
        pieces = [question[cut - n:cut] for cut in range(s + 1, e) for n in (3, 4) if cut - n < s and cut - n >= 0]
        pieces += [question[cut:cut + n] for cut in range(s + 1, e) for n in (3, 4) if cut + n > e]
        if not any(len(p) >= 3 and p in text for p in pieces):
            return True
    return False


def violations(text: str, answerable: bool, citations: Sequence, dimension: str | None = None,
               filler: Iterable[str] = (), question: str = "",
               must_cite: Sequence[tuple[str, Sequence[str]]] = (), context: str = "",
               durations: Sequence[str] | None = None, headers: str = "",
               dates: Sequence[str] | None = None) -> list[str]:
    out: list[str] = []
    if answerable:
        if len(body(text)) < 2:
            out.append("答案没有正文")
        if not citations:
            out.append("答案没有引用")
        for ln in text.split("\n"):
            if ln.startswith("- ") and not _MARKER.search(ln):
                out.append(f"“{ln[2:22]}”没有引用")
        if dimension and citations and not any(of_dimension(c.text, dimension) for c in citations):
            out.append("所引原文中没有所问的数字")
        elif dimension and citations and not of_dimension(body(text), dimension):
            out.append("答案中没有所问的数字")  # the figure is cited but the answer does not say it
        cited = "".join(c.text for c in citations)
        # 每人每月五十元 is a level per head and month, no time of anything (多久能领一件: 每人每月 is its frequency)
        timed = PER_HEAD.sub("", cited)
        if durations is not None and citations and not of_dimension(cited, "duration") \
                and not any(w in cited for w in durations):
            out.append("所引原文中没有所问的时长或频次")  # 多长时间 answered by 定期核查
        if dates is not None and citations and not of_dimension(cited, "date") and not MONTH_ALONE.search(cited) \
                and not any(w in timed for w in dates):
            out.append("所引原文中没有所问的日期或时间")  # 什么时候之前报送 answered by 加强监督管理
        item = item_unquoted(question, body(text), cited) if question and citations else None
        if item:
            out.append(f"答案没有说到问题中的“{item}”的数字")  # 中厅 asked, the list's first item (小厅) quoted
        for word, span_words in must_cite:  # a cited cell's column header says what its row's figure is
            if citations and said(word, question, context or cited) and not any(w in cited + headers for w in span_words):
                out.append(f"所引原文没有说到问题中的“{word}”")
    else:
        filler = set(filler)
        for q in _QUOTED.findall(text):
            if q in filler or (q and all(part in filler for part in re.split(r"[、，,\s]+", q) if part)):
                out.append(f"拒答引用了问题中的虚词“{q}”")
    return out

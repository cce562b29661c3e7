"""Words by which a question points at the document itself rather than at its subject: 某省表中
哪个市…, 该通知中提到的…, 本办法所称… (vocabulary section ``document_refs``).

Such a word is no topic: read as one, it entered the refusal's topic (资料中没有某省表中…的
相关内容) and weighed the sentences and the scope against words no answer sentence says. Question
analysis masks it as it masks places and years. A reference counts only when it is said as whole
words (jieba's precise segmentation): 人大代表中 and 网上表示 hold none.

    >>> without_document_refs("上表中农村低保标准是多少")
    '   农村低保标准是多少'
"""
from __future__ import annotations

from index.tokenize import Tokenizer

from .vocabulary import document_refs


def document_ref_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every reference to the document in ``text``, left to right, longest first."""
    phrases = [p for p in document_refs() if p in text]
    if not phrases:
        return []
    bounds = {0}
    at = 0
    for word in Tokenizer.words(text):
        at += len(word)
        bounds.add(at)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        hit = next((p for p in phrases if i in bounds and text.startswith(p, i) and i + len(p) in bounds), None)
        if hit:
            spans.append((i, i + len(hit)))
        i += len(hit) if hit else 1
    return spans


def without_document_refs(text: str) -> str:
    """``text`` with each reference to the document replaced by spaces (offsets kept)."""
    for s, e in document_ref_spans(text):
        text = text[:s] + " " * (e - s) + text[e:]
    return text

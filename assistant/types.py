"""What an answer is: the JSON contract of ``civilqa ask --json``."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Citation:
    marker: int  # the n in [n]
    source: str  # file name
    title: str
    city: str | None
    year: int | None
    text: str  # the cited span, verbatim from the cleaned document
    start: int  # offsets of the span in the cleaned document
    end: int
    score: float = 0.0
    page: int | None = None  # PDF page the span starts on
    paragraph: int | None = None  # docx paragraph the span starts in
    row: int | None = None  # spreadsheet / csv row the span starts on (the sheet's row number)
    sheet: str | None = None  # the sheet that row is on
    ocr: bool | None = None  # True when the page's text was read by OCR

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("page", "paragraph", "row", "sheet", "ocr"):
            if d[key] is None:
                del d[key]  # optional: only sources that have pages/paragraphs carry them
        return d


def location_label(c: Any) -> str:
    """第N页 / 第N页（文字识别） / 第N段 / 工作表“X”第N行 / 第N行 for a citation (object or dict)
    that has one, else ``""``."""
    get = c.get if isinstance(c, dict) else (lambda k: getattr(c, k, None))
    if get("row"):
        return (f"工作表“{get('sheet')}”" if get("sheet") else "") + f"第{get('row')}行"
    if get("page"):
        return f"第{get('page')}页" + ("（文字识别）" if get("ocr") else "")
    if get("paragraph"):
        return f"第{get('paragraph')}段"
    return ""


@dataclass
class Answer:
    question: str
    answer: str
    answerable: bool
    citations: list[Citation]
    answerer: str = "extractive"
    timings_ms: dict[str, float] = field(default_factory=dict)
    resolved_question: str | None = None
    fallback_reason: str | None = None
    # the chunks the retriever returned, best first (evaluation only; not part of to_dict)
    retrieved: list[Any] = field(default_factory=list, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        d = {"question": self.question, "answer": self.answer, "answerable": self.answerable,
             "citations": [c.to_dict() for c in self.citations], "answerer": self.answerer,
             "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()}}
        if self.resolved_question:
            d["resolved_question"] = self.resolved_question
        if self.fallback_reason:
            d["fallback_reason"] = self.fallback_reason
        return d

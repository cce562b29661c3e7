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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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

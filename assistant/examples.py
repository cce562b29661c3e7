"""Example questions that fit the loaded index: the 问答 tab's example buttons and its placeholder,
and the example a "no question found" error gives. They are formed from the index's standards
table (a region and a benefit category it states a standard for) and the region most documents
are about (``Corpus.example_place``), never fixed seed questions; with no standard in the index
the wording names no place.

>>> example_questions(None, None)
['低保标准是多少？']
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from .benefits import load_vocabulary

ONE_REGION = "{region}{category}标准是多少？"  # a standard of one region ("" when no region is known)
EVERY_REGION = "各地的{category}标准分别是多少？"  # a category several regions state a standard for
MAX_EXAMPLES = 5


def example_questions(standards: Iterable | None, place: str | None, limit: int = MAX_EXAMPLES) -> list[str]:
    """Up to ``limit`` questions the index can answer: for each region with standards (``place``
    first, then by how many standards it states) its most stated category, then one comparison
    across regions; without standards, one question naming ``place`` (or no place) and the first
    benefit family of the vocabulary."""
    rows = [r for r in standards or () if r.kind == "standard" and r.region]
    if not rows:
        return [ONE_REGION.format(region=place or "", category=load_vocabulary().families[0])]
    per_region = Counter(r.region for r in rows)
    regions = sorted(per_region, key=lambda g: (g != place, -per_region[g]))  # stable: first seen on a tie
    out = [ONE_REGION.format(region=g, category=Counter(r.category for r in rows if r.region == g).most_common(1)[0][0])
           for g in regions]
    # the category the most regions state a standard for, when two or more do
    spread = Counter(category for category, _ in dict.fromkeys((r.category, r.region) for r in rows))
    shared = [c for c, n in spread.most_common(1) if n > 1]
    if shared and limit > 1:
        return out[:limit - 1] + [EVERY_REGION.format(category=shared[0])]
    return out[:limit]


def first_example(standards: Iterable | None, place: str | None) -> str:
    """The one example a hint or an error gives (``例如：…``)."""
    return example_questions(standards, place, limit=1)[0]


def examples_for(assistant) -> list[str]:
    """The example questions of an ``Assistant``'s current index."""
    return example_questions(assistant.standards, assistant.answerer.corpus.example_place)

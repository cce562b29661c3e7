"""The synonym classes: the ``synonyms`` groups of ``assistant/data/vocabulary.json`` merged with
the benefit families' terms (``assistant.benefits``), so that a benefit synonym is written once.
Query expansion (``assistant.query``) and the grounding check (``assistant.grounding``) read them."""
from __future__ import annotations

from functools import lru_cache

from .benefits import load_vocabulary
from .vocabulary import default


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """Equivalence classes: the ``synonyms`` groups merged with the benefit families'
    terms (a family's terms and its categories' direct synonyms form one group;
    groups sharing a word are joined). The first word of each class is the one
    written first in the file."""
    vocab = load_vocabulary()
    groups: list[list[str]] = [list(g) for g in default()["synonyms"]]
    groups += [list(vocab.terms(f)) for f in vocab.families]
    merged: list[list[str]] = []
    for g in groups:
        hits = [m for m in merged if set(m) & set(g)]
        target = hits[0] if hits else []
        for other in hits[1:]:
            target.extend(w for w in other if w not in target)
            merged.remove(other)
        target.extend(w for w in g if w not in target)
        if not hits:
            merged.append(target)
    return tuple(tuple(g) for g in merged)

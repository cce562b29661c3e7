"""The corpus stage of the extractive answerer: what it knows of the whole collection.

Everything here is built once per loaded index, and what a question asks of it costs the
same whatever the number of chunks and documents:

- **document frequencies** of a question's terms (with their synonyms): exact over every chunk
  while the collection is at most ``sample`` chunks (every set the team measures on); above
  that, counted on a sample of ``sample`` chunks drawn with a fixed seed (the same on every
  load, spread over the whole collection, no aliasing with a collection's own period) and
  scaled to the collection, never below the exact document frequency of a form that is a
  BM25 token (``token_df``, the index's postings).
  Cached in a bounded LRU;
- **the region index**: the sources of each region, the regions that match a place asked
  (:func:`ingest.places.relation`, checked only on the regions that share the asked place's
  chain of names: each region is resolved to its gazetteer place once, at load, and filed under
  every prefix of its chain; a region the gazetteer does not resolve relates to no place, unless
  it is 全国, which every place is inside. A pass over every distinct region instead cost
  ~11 ms per newly asked place at 10^6 chunks and 12,026 regions, 150 ms under load), the years
  each region's documents cover;
- **the coverage note** (which regions and years the documents cover), computed once and
  bounded to ``MAX_NOTE_REGIONS`` regions;
- **whether a document names a place** outside its datelines, cached per (source, place).
"""
from __future__ import annotations

import bisect
import math
import random
import re
from collections.abc import Callable, Iterable

from index.lru import Bounded
from ingest.document import Chunk
from ingest.metadata import without_datelines
from ingest.places import ANCESTOR, DESCENDANT, NATIONAL, SAME, Place, place_of, relation

SEED = 13  # of the document-frequency sample: any fixed value
SAMPLE = 20_000  # chunks a document frequency is counted on, at most
MAX_NOTE_REGIONS = 40  # regions the coverage note lists before saying how many more there are
ENOUGH = 400  # chunks of the sample found holding a term: its frequency is known well enough
SEP = "\x00"
# the only characters whose str.lower() is not one character (İ) or that re.IGNORECASE matches to
# an ASCII letter other than their lower case does (ı, ſ), over all of Unicode (a test re-checks):
# a sample without them is searched for an ASCII word in its lower-cased copy, exactly as
# re.IGNORECASE would find it, ~8x faster (eligible: 27 -> 3.7 ms over 20,000 news chunks)
CASE_EXCEPTIONS = "\u0130\u0131\u017f"
CACHE = 4096  # entries of each bounded cache (terms, places, (source, place) pairs)
UNKNOWN_REGION = "未知地区"
UNKNOWN_YEAR = "年份未知"


def _year_label(meta: dict) -> str:
    return str(meta["year"]) if meta.get("year") else UNKNOWN_YEAR


class Scope:
    """The sources in scope for the places asked: those whose region matched (``cities``) and
    the region-less ones that name the place themselves (``extra``); ``source in scope``."""

    def __init__(self, cities: Iterable[str], extra: Iterable[str], city_of: Callable[[str], str | None]) -> None:
        self.cities = frozenset(cities)
        self.extra = frozenset(extra)
        self._city_of = city_of

    def __contains__(self, source: object) -> bool:
        return source in self.extra or self._city_of(source) in self.cities  # type: ignore[arg-type]

    def __bool__(self) -> bool:
        return bool(self.cities or self.extra)


class Corpus:
    """``Corpus(documents, chunks, token_df=None)``: the collection-wide statistics of one index.

    ``documents`` maps each source to ``{"text", "meta"}`` (``LoadedIndex.documents``);
    ``token_df(token)`` (optional) gives how many chunks hold a BM25 token, None when unknown;
    ``forms(term)`` the words a term is counted as (the question layer's synonyms)."""

    def __init__(self, documents: dict[str, dict], chunks: list[Chunk],
                 token_df: Callable[[str], int | None] | None = None, sample: int = SAMPLE,
                 forms: Callable[[str], tuple[str, ...]] = lambda term: (term,)) -> None:
        self.documents = documents
        self._forms = forms
        self.n = len(chunks)
        if self.n <= sample:
            texts = [c.text for c in chunks]
        else:  # a seeded sample in random order: any prefix of it is a sample too
            texts = [chunks[i].text for i in random.Random(SEED).sample(range(self.n), sample)]
        self.sampled = len(texts)
        self.exact = self.sampled == self.n
        # one string, chunks apart by NUL (no text holds one): a term is looked for by the regex
        # engine over all of them at once, and each chunk holding it costs one step
        self._joined = SEP.join(texts)
        self._lowered = (None if any(c in self._joined for c in CASE_EXCEPTIONS)
                         else self._joined.lower())  # same offsets: every other character stays one
        self._starts = [0] * len(texts)
        pos = 0
        for i, t in enumerate(texts):
            self._starts[i] = pos
            pos += len(t) + 1
        self._token_df = token_df
        self._df = Bounded(CACHE)
        self._places = Bounded(CACHE)
        self._named = Bounded(CACHE)
        self.by_city: dict[str | None, list[str]] = {}
        years: dict[str | None, set[str]] = {}
        periods: dict[str, list[str]] = {}
        for source, d in documents.items():
            m = d["meta"]
            city = m.get("city") or None
            self.by_city.setdefault(city, []).append(source)
            years.setdefault(city, set()).add(_year_label(m))
            periods.setdefault(m.get("city") or UNKNOWN_REGION, []).append(m.get("period") or _year_label(m))
        self._years = {c: frozenset(y) for c, y in years.items()}
        self.cities = frozenset(c for c in self.by_city if c)
        # chain prefix -> (region, its place), and the unresolved regions a place can be in (全国)
        self._chains = self._region_chains()
        # the place a refusal's example question names: the region most documents are about
        # (first seen on a tie), so the example fits the office's own documents
        named = [(c, len(v)) for c, v in self.by_city.items() if c]
        self.example_place = max(named, key=lambda cv: cv[1])[0] if named else None
        listed = list(periods.items())
        note = "、".join(f"{city}（{'、'.join(sorted(set(p)))}）" for city, p in listed[:MAX_NOTE_REGIONS])
        if len(listed) > MAX_NOTE_REGIONS:
            note += f"等{len(listed)}个地区"
        self.coverage_note = note

    # -- document frequencies ------------------------------------------------------
    def df(self, term: str) -> int:
        """How many chunks hold ``term`` or a synonym of it (estimated above ``sample`` chunks)."""
        forms = self._forms(term)
        key = "|".join(forms)
        hit = self._df.get(key)
        if hit is not None:
            return hit
        count = self._count(forms)
        if not self.exact and self._token_df is not None:  # a chunk holding the token holds the term
            count = max([count] + [self._token_df(f) or 0 for f in forms])
        self._df.put(key, count)
        return count

    def _count(self, forms: tuple[str, ...] | list[str]) -> int:
        """Chunks of the sample holding one of ``forms``, scaled to the collection. Past
        ``ENOUGH`` chunks found the count stops and the share of the sample read so far is scaled
        (a common word's frequency is known well enough from a part of a random sample)."""
        forms = [f for f in forms if f and SEP not in f]
        if not forms or not self._joined:
            return 0
        # the question is case-folded (ingest.text.normalize: MTC → mtc), the documents are not
        latin = re.IGNORECASE if any(f.isascii() for f in forms) else 0
        limit = None if self.exact else ENOUGH
        # one search per first character: an alternation whose words share their start is found
        # by the regex engine's literal scan (特困|特困人员), one whose words do not is tried at
        # every position (低保|最低生活保障: ~3x the time of two scans over a 20,000-chunk sample)
        groups: dict[tuple[bool, str], list[str]] = {}
        for f in forms:  # an ASCII word is looked for in the lower-cased copy (see CASE_EXCEPTIONS)
            lowered = bool(latin) and f.isascii() and self._lowered is not None
            groups.setdefault((lowered, f[0].lower() if latin else f[0]), []).append(f.lower() if lowered else f)
        found: set[int] = set()
        for (lowered, _), group in groups.items():
            text = self._lowered if lowered else self._joined
            found.update(self._chunks_with(text, group, 0 if lowered else latin, limit))
        if limit is not None and len(found) >= limit:  # the sample read up to the limit-th chunk found
            return round(limit * self.n / (sorted(found)[limit - 1] + 1))
        return len(found) if self.exact else round(len(found) * self.n / len(self._starts))

    def _chunks_with(self, joined: str, forms: list[str], flags: int, limit: int | None) -> list[int]:
        """The first ``limit`` (all for None) chunks of the sample ``joined`` (the sample or its
        lower-cased copy), in order, holding one of ``forms``."""
        pattern = re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)), flags)
        starts = self._starts
        out: list[int] = []
        pos = 0
        while True:
            m = pattern.search(joined, pos)
            if m is None:
                break
            i = bisect.bisect_right(starts, m.start()) - 1
            out.append(i)
            if i + 1 >= len(starts) or (limit is not None and len(out) >= limit):
                break
            pos = starts[i + 1]
        return out

    def idf(self, term: str) -> float:
        return math.log((max(self.n, 1) + 1) / (self.df(term) + 0.5))

    def known(self, term: str) -> bool:
        """Some chunk of the collection holds ``term`` or a synonym of it (as far as counted)."""
        return self.df(term) > 0

    # -- regions -------------------------------------------------------------------
    def city_of(self, source: str) -> str | None:
        d = self.documents.get(source)
        return (d["meta"].get("city") or None) if d is not None else None

    def regions_for(self, place) -> frozenset[str]:
        """The document regions in scope for ``place``: that place, one containing it or one
        inside it (:func:`ingest.places.relation`)."""
        hit = self._places.get(place)
        if hit is None:
            if isinstance(place, Place):
                by_prefix, unresolved = self._chains
                chain = place.chain
                # the regions at or inside the place, and those containing it (a prefix of its chain)
                near = list(by_prefix.get(chain, ())) + [
                    (c, p) for i in range(1, len(chain)) for c, p in by_prefix.get(chain[:i], ()) if p.chain == chain[:i]]
                hit = frozenset([c for c, p in near if relation(place, p) in (SAME, ANCESTOR, DESCENDANT)]
                                + [c for c in unresolved if relation(place, c) in (SAME, ANCESTOR, DESCENDANT)])
            else:
                hit = frozenset(c for c in self.cities if relation(place, c) in (SAME, ANCESTOR, DESCENDANT))
            self._places.put(place, hit)
        return hit

    def _region_chains(self) -> tuple[dict[tuple[str, ...], list[tuple[str, Place]]], list[str]]:
        """Each region filed under every prefix of its place's chain (province first), and the
        regions with no place that a place can still relate to (全国: every place is inside it;
        any other name the gazetteer does not know relates to none, ``relation`` says unknown)."""
        by_prefix: dict[tuple[str, ...], list[tuple[str, Place]]] = {}
        unresolved: list[str] = []
        for c in sorted(self.cities):
            p = place_of(c)
            if p is None:
                if c == NATIONAL:
                    unresolved.append(c)
                continue
            for i in range(1, len(p.chain) + 1):
                by_prefix.setdefault(p.chain[:i], []).append((c, p))
        return by_prefix, unresolved

    def years_covered(self, scope: Scope | None) -> list[str]:
        """The year labels of the documents in ``scope`` (every document for None), sorted."""
        if scope is None:
            labels = set().union(*self._years.values()) if self._years else set()
        else:
            labels = set().union(*(self._years.get(c, ()) for c in scope.cities))
            labels |= {_year_label(self.documents[s]["meta"]) for s in scope.extra}
        return sorted(labels)

    def names_place(self, source: str, place) -> bool:
        """Whether document ``source`` names ``place`` (full or short name) outside its datelines."""
        key = (source, place.name)
        found = self._named.get(key)
        if found is None:
            text = self.documents[source]["text"]
            names = [n for n in (place.name, place.short) if n and len(n) >= 2]
            found = any(n in text for n in names)
            if found:  # 新华社太原3月2日电 names where the news was filed, not what it is about
                bare = without_datelines(text)
                found = any(n in bare for n in names)
            self._named.put(key, found)
        return found


def most_specific(places) -> list:
    """The places asked, without those that only name where another asked place lies
    (重庆市江北区 asks about 江北区)."""
    return [p for p in places if not any(o is not p and p.name in getattr(o, "parents", ()) for o in places)]

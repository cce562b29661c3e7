"""From ranked chunks to the passages retrieval hands on: widening, copies, and one place per
stretch of a document.

- **widening** (``Passages.widen``): a hit is widened by the neighbouring text chunks of its
  section (same heading), the following ones first, while the span stays within
  ``passage_chars``; a document of at most ``short_doc_chars`` without a table is one passage,
  read whole (a table stays its own chunk, read by rows);
- **selection** (``Passages.select``): the best hits, ``k`` places; a hit inside a better hit's
  passage is dropped. A copy of a document already among the hits (``riding``) follows its twin
  without taking a place.
- **a document read whole in pieces** (in ``select``): when the passages chosen so far cover every
  chunk of a document without a table, they are that document whole: it becomes one passage, read
  whole at its best hit's place, and the places its other pieces held go to the next hits. A
  document just above ``short_doc_chars`` was otherwise read as five or six pieces filling the
  first places one after the other, its answer in whichever piece the small-chunk scores put last
  (news-test: the gold piece 6th, behind five of its own document). It is the short-document rule
  decided by what retrieval chose instead of by a length: the whole is no longer than the places it
  replaces, so what a question costs is unchanged. The document's opening piece (headline and
  lede, which restate its topic and so match any question on it) keeps its own place when it was
  not the best piece: the rest of the document is the one passage, at the best piece's place.
  Read at the best piece's rank, the lede was quoted instead of the answer (NCPPolicies: 3 right
  answers lost, measured with the whole document in one place).
- **joining** (``Passages.join``, only with ``merge_chars`` > 0; off by default): of the
  passages selected, one that touches or overlaps a better passage of the same document joins
  it (up to ``merge_chars``). Small chunks are what is matched, but neighbouring chunks of one
  document that rank one after the other are one stretch of text, and listed one by one (a
  notice just above the short-document limit filling the first five places with five of its
  chunks) they push its other parts and other documents down the list. Joining comes after the
  k places are chosen: the answerer reads the same characters as without it, in fewer, longer
  passages, so fewer than ``k`` may come back.

  Why off: measured with ``merge_chars=600`` (``civilqa eval --config name=m,merge=600``), hit@5
  rose (news-test 98.0 -> 100%, NCPPolicies 91.7 -> 92.6%) but answers moved both ways, because
  the extractive answerer prefers a sentence of a better-ranked passage and a joined sentence
  takes its new passage's rank: seeds lost one right answer, NCPPolicies 4 (and gained 2).
  Joining while choosing (freed places filled with further documents) was worse. It waits for
  an answerer that reads each part of a passage at its own rank.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Mapping, Sequence

from ingest.document import Chunk

if TYPE_CHECKING:  # only for the annotations: hybrid imports this module
    from .hybrid import Hit, SearchOptions
    from .store import LoadedIndex


class Passages:
    def __init__(self, index: "LoadedIndex", options: "SearchOptions", rows_of: Mapping[str, list[int]],
                 row_of: Mapping[str, int], copies: Mapping[str, Sequence[str]]) -> None:
        self.index = index
        self.options = options
        self._rows_of = rows_of
        self._row_of = row_of
        self.copies = copies
        self._with_tables = {c.source for c in index.chunks if c.kind == "table"}

    def _span(self, chunk: Chunk, start: int, end: int) -> Chunk:
        body = self.index.documents[chunk.source]["text"][start:end]
        return replace(chunk, id=Chunk.make_id(chunk.source, start, end, body), start=start, end=end, text=body)

    def widen(self, i: int) -> Chunk:
        """Chunk ``i`` widened by the neighbouring text chunks of its section (same heading: the
        answer after a FAQ's question, the conditions after an article's first sentence), the
        following ones first, while the span stays within ``passage_chars``."""
        chunk = self.index.chunks[i]
        text = self.index.documents[chunk.source]["text"]
        # a short notice is read whole, like one page; not one with a table, which must stay a
        # table chunk of its own (read by row with its header), nor the table itself
        if len(text) <= self.options.short_doc_chars and chunk.kind == "text" and chunk.source not in self._with_tables:
            return self._span(chunk, 0, len(text))
        if self.options.passage_chars <= len(chunk.text) or chunk.kind != "text":
            return chunk
        rows = self._rows_of[chunk.source]
        pos = rows.index(i)
        start, end = chunk.start, chunk.end
        lo = hi = pos
        grown = True
        while grown:
            grown = False
            for j in (hi + 1, lo - 1):
                if not 0 <= j < len(rows):
                    continue
                c = self.index.chunks[rows[j]]
                if c.kind != "text" or c.heading != chunk.heading:
                    continue
                s, e = min(start, c.start), max(end, c.end)
                if e - s <= self.options.passage_chars:
                    start, end, grown = s, e, True
                    lo, hi = min(lo, j), max(hi, j)
        if (start, end) == (chunk.start, chunk.end):
            return chunk
        return self._span(chunk, start, end)

    def join(self, passages: list["Hit"]) -> list["Hit"]:
        """``passages`` (best first) with each one that touches or overlaps a better passage of
        the same document (both text, together within ``merge_chars``) joined into that one."""
        limit = self.options.merge_chars
        out: list[Hit] = []
        for h in passages:
            c = h.chunk
            for n, o in enumerate(out):
                p = o.chunk
                if (limit and c.kind == "text" and p.kind == "text" and p.source == c.source
                        and c.start <= p.end and p.start <= c.end
                        and max(p.end, c.end) - min(p.start, c.start) <= limit):
                    out[n] = replace(o, chunk=self._span(p, min(p.start, c.start), max(p.end, c.end)))
                    break
            else:
                out.append(h)
        return out

    def select(self, hits: list["Hit"], k: int, riding: set[str]) -> list["Hit"]:
        """The first ``k`` places of ``hits`` (best first), widened, with copies riding along,
        then joined (see the module docstring)."""
        out: list[Hit] = []
        covered: list[tuple[str, int, int]] = []
        places = rides = 0  # a copy's hits ride along with their twin's, at most k of them
        widen = bool(self.options.passage_chars or self.options.short_doc_chars)
        for h in hits:  # widened hits that fall inside a better hit's passage are dropped
            c = h.chunk
            rider = c.source in riding
            if (rides if rider else places) == k:
                if places == k and (rides == k or not riding):
                    break
                continue
            if rider and not any(o.chunk.source in self.copies[c.source] for o in out):
                continue  # its twin found no place: nothing to ride with
            if widen:
                if any(src == c.source and s <= c.start and c.end <= e for src, s, e in covered):
                    continue
                p = self.widen(self._row_of[c.id])
                covered.append((p.source, p.start, p.end))
                h = replace(h, chunk=p)
            out.append(h)
            freed = self._read_whole(out, covered) if widen else 0
            rides += rider - (freed if rider else 0)
            places += (not rider) - (0 if rider else freed)
        return self.join(out) if self.options.merge_chars else out

    def _read_whole(self, out: list["Hit"], covered: list[tuple[str, int, int]]) -> int:
        """If the passages in ``out`` now cover every chunk of the last one's document (text only,
        no table), make them one passage of the whole document at the first one's place (of all but
        its opening, when the opening is another piece: it keeps its place); return the number of
        places freed (0 when nothing changed)."""
        source = out[-1].chunk.source
        if out[-1].chunk.kind != "text" or source in self._with_tables:
            return 0
        mine = [n for n, o in enumerate(out) if o.chunk.source == source]
        if len(mine) < 2:
            return 0
        spans = sorted((s, e) for src, s, e in covered if src == source)
        merged: list[list[int]] = []
        for s, e in spans:
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        rows = self._rows_of[source]
        if not all(any(s <= self.index.chunks[r].start and self.index.chunks[r].end <= e for s, e in merged)
                   for r in rows):
            return 0
        text = self.index.documents[source]["text"]
        opening = min(mine, key=lambda n: out[n].chunk.start)
        keep = {mine[0], opening}  # the best piece's place, and the opening's own (see the module docstring)
        start = 0 if opening == mine[0] else min(out[n].chunk.start for n in mine if n != opening)
        if len(mine) <= len(keep):
            return 0  # the opening and one piece holding the rest: already the document in two places
        first = out[mine[0]]
        out[mine[0]] = replace(first, chunk=self._span(first.chunk, start, len(text)))
        for n in reversed(mine):
            if n not in keep:
                del out[n]
        covered.append((source, start, len(text)))
        return len(mine) - len(keep)

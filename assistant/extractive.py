"""The default answerer: extractive, offline, and strict about scope.

Given the question analysis and the retrieved chunks it

1. refuses when the question is outside the reports: a place no report covers,
   a year no report of that place covers, or content words the reports do not
   contain (天气, 护照) — saying what was not found and what is covered;
2. keeps only chunks about the named place (a county counts as its city);
3. scores every sentence of the remaining chunks by the IDF-weighted share of
   the question's content words it contains (synonyms count), whether it holds
   a figure of the kind asked (元 for amounts; 人/户/家/个/张… for counts; % for
   ratios), and whether its qualifiers agree (农村 vs 城市, 散居 vs 机构);
4. answers with the minimal clause that holds the figure, led by the region,
   marked ``[n]`` and followed by the region and year the source is about; a
   question naming no place that several reports answer gets one line per
   region, each with its own citation.

Standard questions (``洛阳孤儿一个月给多少钱``, ``哪个城市的农村低保标准最高``) are
answered from the benefit-standards table (``standards.json``) first, after the
scope refusals of step 1 and only from rows of reports in scope; each row is
cited with its own span. Comparisons list one line per region with its year
and compare only figures with the same period (月 vs 年). When no row matches,
the sentence-based steps 2–4 answer as before.

No figure is ever written that is not in the cited span (``grounding.check``).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ingest.chunking import split_sentences
from ingest.document import Chunk

from .grounding import check as check_grounding
from .query import QueryAnalysis, synonyms
from .types import Answer, Citation
from .vocabulary import off_topic

if TYPE_CHECKING:  # pragma: no cover
    from .standards import Standard, StandardsTable

FIGURE = {
    "amount": re.compile(r"\d+(?:\.\d+)?\s*(?:万|亿)?余?元"),
    "count": re.compile(r"\d+(?:\.\d+)?\s*(?:万|亿)?余?(?:人次|人|户|家|个|名|张|所|处|对|件|次|床|场|站|例|辆|车次|吨|份)"),
    "ratio": re.compile(r"\d+(?:\.\d+)?\s*%"),
}
_TOTAL_WORDS = re.compile(r"发放|支出|下拨|累计|共|募集|接收|投入|资金|总计|争取")
_STANDARD_WORDS = re.compile(r"标准|提高到|提高至|提至|每人每月|每人每年|人均")
_CLAUSE = re.compile(r"[^，,；;。！？!?]+[，,；;。！？!?]*")
QUALIFIERS = (("农村", "城市"), ("散居", "机构"), ("城市", "农村"), ("机构", "散居"))
DOMAIN = re.compile(r"民政|低保|最低生活|特困|五保|孤儿|儿童|老人|老年|养老|高龄|救助|补贴|津贴|救灾|受灾|遭灾|残疾|"
                    r"殡葬|火化|婚姻|结婚|离婚|社区|社会组织|慈善|福利|优抚|优待|退役|流浪|乞讨|社工|志愿|殡仪|公墓|"
                    r"地名|区划|村务|标准|补助|协会|商会|彩票|募捐|床位|敬老|低收入|困难群众|兜底|脱贫")


@dataclass
class Candidate:
    chunk: Chunk
    rank: int
    start: int  # sentence offsets in the document
    end: int
    clause_start: int
    clause_end: int
    score: float
    coverage: float
    figure: str | None = None
    notes: list[str] = field(default_factory=list)


class ExtractiveAnswerer:
    """``ExtractiveAnswerer(catalog)(analysis, chunks) -> Answer``.

    ``catalog`` maps each source to its metadata and text (``LoadedIndex.documents``);
    it tells which places and years the reports cover. ``standards`` (optional)
    is the benefit-standards table extracted from the same documents.
    """

    name = "extractive"

    def __init__(self, documents: dict[str, dict], all_chunks: list[Chunk], min_coverage: float = 0.5,
                 max_regions: int = 6, standards: "StandardsTable | None" = None) -> None:
        self.documents = documents
        self._doc_texts = {s: d["text"] for s, d in documents.items()}
        self.standards = standards
        self.min_coverage = min_coverage
        self.max_regions = max_regions
        self._texts = [c.text for c in all_chunks]
        self._df_cache: dict[str, int] = {}

    # -- corpus facts ----------------------------------------------------------
    def coverage_note(self) -> str:
        seen: dict[str, list[str]] = {}
        for d in self.documents.values():
            m = d["meta"]
            seen.setdefault(m.get("city") or "未知地区", []).append(
                m.get("period") or (str(m["year"]) if m.get("year") else "年份未知"))
        return "、".join(f"{city}（{'、'.join(sorted(set(p)))}）" for city, p in seen.items())

    def _idf(self, term: str) -> float:
        forms = synonyms(term)
        key = "|".join(forms)
        if key not in self._df_cache:
            self._df_cache[key] = sum(1 for t in self._texts if any(f in t for f in forms))
        n = max(len(self._texts), 1)
        return math.log((n + 1) / (self._df_cache[key] + 0.5))

    @staticmethod
    def _contains(text: str, term: str) -> bool:
        if term in ("城市", "农村") and "城乡" in text:
            return True
        return any(f in text for f in synonyms(term))

    def _docs_for(self, analysis: QueryAnalysis) -> tuple[set[str] | None, str | None]:
        """Sources in scope, or a refusal message. None means every source."""
        from index.hybrid import region_matches

        places = [p for p in analysis.places]
        if not places:
            return None, None
        in_scope: set[str] = set()
        missing = []
        for p in places:
            if p.level == "province":
                hits = {s for s, d in self.documents.items()
                        if (d["meta"].get("city") or "").startswith(tuple(c for c in self._cities_in(p.name)))}
            else:
                hits = {s for s, d in self.documents.items()
                        if region_matches(d["meta"].get("city"), p.region if p.level == "county" else p.name)
                        or (p.level == "county" and region_matches(d["meta"].get("city"), p.city))}
            if hits:
                in_scope |= hits
            else:
                missing.append(p.name)
        if missing and not in_scope:
            return set(), "、".join(missing)
        return in_scope, None

    def _cities_in(self, province: str) -> list[str]:
        from ingest.places import gazetteer

        return [p.name for p in gazetteer().values() if p.level == "city" and p.parent == province] or ["\x00"]

    # -- answering ---------------------------------------------------------------
    def __call__(self, analysis: QueryAnalysis, chunks: list[Chunk]) -> Answer:
        topic = self._topic(analysis)
        scope, missing = self._docs_for(analysis)
        if missing:
            return self._refuse(analysis, f"资料中没有{missing}{topic}的相关内容。"
                                          f"现有资料涉及：{self.coverage_note()}。")
        pool = [c for c in chunks if scope is None or c.source in scope]
        if analysis.years:
            pool = [c for c in pool if c.meta.get("year") in analysis.years
                    or any(f"{y}年" in c.text for y in analysis.years)]
            if not pool:
                where = "、".join(analysis.regions) if analysis.regions else ""
                covered = sorted({str(d["meta"]["year"]) if d["meta"].get("year") else "年份未知"
                                  for s, d in self.documents.items() if scope is None or s in scope})
                return self._refuse(analysis, f"资料中没有{where}{'、'.join(map(str, analysis.years))}年"
                                              f"{topic}的相关内容（现有{where or ''}资料的年份：{'、'.join(covered)}年）。")
        terms = list(analysis.terms)
        if not terms and not analysis.places:
            return self._refuse(analysis, "没有理解问题所问的内容，请换个说法，例如：焦作市农村低保标准是多少？")
        weights = {t: self._idf(t) for t in terms}
        total_w = sum(weights.values()) or 1.0
        known = {t: w for t, w in weights.items() if self._df_cache.get("|".join(synonyms(t)), 0) > 0}
        in_domain = bool(DOMAIN.search(analysis.normalized))
        # A civil-affairs question may use words the reports never use (城里, 一共, English filler):
        # those are ignored. A question with no civil-affairs word must be about what the reports say,
        # and never about an off-topic thing (vocabulary "off_topic": 天气) a report merely mentions.
        off = [t for t in terms if any(w in t for w in off_topic())]
        if terms and not in_domain and (off or sum(known.values()) / total_w < 0.99):
            unknown = off or [t for t in terms if t not in known]
            what = "、".join(unknown or terms)
            return self._refuse(analysis, f"资料中没有关于“{what}”的内容。本助手只回答所收录民政工作报告中的问题，"
                                          f"现有资料涉及：{self.coverage_note()}。")
        if known:
            weights = known
            total_w = sum(weights.values())
        if not pool:
            return self._refuse(analysis, f"资料中没有{'、'.join(analysis.regions)}{topic}的相关内容。")

        # every scope refusal is behind us: a standard question is answered from the table first
        from_table = self._answer_standards(analysis, scope)
        if from_table is None and analysis.bare:  # 焦作 低保: a keyword query naming a benefit asks its standard
            from_table = self._answer_standards(
                replace(analysis, intent="amount", normalized=analysis.normalized + " 标准"), scope)
        if from_table is not None:
            return from_table
        if any(c.kind == "table" for c in pool[:3]):
            table = self._answer_table(analysis, [c for c in pool[:3] if c.kind == "table"][0])
            if table is not None:
                return table
        cands = self._candidates(analysis, pool, weights, total_w)
        if analysis.intent in FIGURE:
            cands = [c for c in cands if c.figure is not None]
        if analysis.intent == "amount" and _asks_standard(analysis.normalized):
            # a standard question is never answered with a spending total
            doc = self._doc_texts
            cands = [c for c in cands if _STANDARD_WORDS.search(doc[c.chunk.source][c.clause_start:c.clause_end])
                     and not re.search(r"[万亿]余?元", c.figure or "")]
        if not cands:
            return self._refuse(analysis, f"资料中没有{'、'.join(analysis.regions)}{topic}的具体"
                                          f"{'数据' if analysis.intent in FIGURE else '内容'}。"
                                          f"现有资料涉及：{self.coverage_note()}。")
        best = cands[0]
        if best.coverage < 0.5 and analysis.intent in FIGURE:
            return self._refuse(analysis, f"资料中没有{'、'.join(analysis.regions)}{topic}的具体数据。")
        picks = [best]
        if (not analysis.places or len(analysis.places) > 1) and analysis.intent in FIGURE:
            # one answer per region when the question names none
            by_region: dict[str, Candidate] = {}
            for c in cands:
                region = c.chunk.meta.get("city") or ""
                if region not in by_region and c.coverage >= max(0.6, best.coverage - 0.2):
                    by_region[region] = c
            picks = list(by_region.values())[: self.max_regions]
        return self._render(analysis, picks)

    def _topic(self, analysis: QueryAnalysis) -> str:
        return "".join(analysis.terms[:3])

    def _candidates(self, analysis: QueryAnalysis, pool: list[Chunk], weights: dict[str, float],
                    total_w: float) -> list[Candidate]:
        doc_texts = self._doc_texts
        out: list[Candidate] = []
        fig = FIGURE.get(analysis.intent)
        wants_standard = _asks_standard(analysis.normalized)
        q = analysis.normalized
        asked, others = _benefit_terms(q)
        from .llm import INJECTION  # stdlib-only module level; the model client loads on use

        for rank, chunk in enumerate(pool[:8]):
            text = doc_texts.get(chunk.source, "")
            planted = INJECTION.search(chunk.text)
            for s, e in split_sentences(chunk.text, chunk.start):
                if planted and e > chunk.start + planted.start():
                    break  # text that talks to a model (忽略以上指令…) and what follows it is never quoted
                sent = text[s:e]
                cov = sum(w for t, w in weights.items() if self._contains(sent, t)) / total_w
                if cov == 0:
                    continue
                score = cov / (1 + 0.15 * rank)
                if analysis.intent == "procedure" and _ELIGIBILITY.search(sent):
                    score *= 1.5
                clause = (s, e)
                figure = None
                if fig is not None:
                    clause, figure, cscore = self._best_clause(sent, s, fig, weights, total_w, wants_standard, q)
                    if figure is None:
                        score *= 0.3
                    else:
                        score *= 1 + cscore
                # qualifier agreement: 农村 asked, only 城市 stated -> wrong figure
                if _qualifier_conflict(q, text[clause[0]:clause[1]]):
                    if figure is not None:
                        continue  # a 城市 figure is never the answer to a 农村 question
                    score *= 0.2
                if figure is not None and _qualifier_missing(q, sent):
                    continue  # 农村 asked, the sentence does not say 农村 (or 城乡): not its figure
                if figure is not None and asked and not any(t in sent for t in asked) \
                        and any(t in sent for t in others):
                    continue  # 高龄津贴 asked, the sentence's figure is another benefit's (慈善购物卡 50元)
                if figure is not None and analysis.units and any(figure.endswith(u) for u in analysis.units):
                    score *= 1.3  # 多少人 is answered by a figure in 人
                if figure is not None and analysis.multiple:
                    clause = (clause[0], _extend_to_next_figure(text, clause[1], e))
                out.append(Candidate(chunk, rank, s, e, clause[0], clause[1], score, cov, figure))
        out.sort(key=lambda c: -c.score)
        return out

    def _best_clause(self, sent: str, offset: int, fig: re.Pattern[str], weights: dict[str, float],
                     total_w: float, wants_standard: bool, q: str = "") -> tuple[tuple[int, int], str | None, float]:
        clauses = [(m.start(), m.end()) for m in _CLAUSE.finditer(sent)]
        best: tuple[float, tuple[int, int], str | None] = (-1.0, (offset, offset + len(sent)), None)
        for i, (cs, ce) in enumerate(clauses):
            ctext = sent[cs:ce]
            m = fig.search(ctext)
            if not m:
                continue
            cov = sum(w for t, w in weights.items() if self._contains(ctext, t)) / total_w
            start = cs
            # borrow the previous clause when this one lacks the subject or a time phrase
            if i > 0 and (cov < 1 or re.match(r"^(自|从|截至|截止|在)", sent[clauses[i - 1][0]:])):
                prev = sent[clauses[i - 1][0]:clauses[i - 1][1]]
                pcov = sum(w for t, w in weights.items() if self._contains(prev, t)) / total_w
                if (pcov > 0 and not fig.search(prev)) or re.match(r"^(自|从|截至|截止|在)", prev):
                    start = clauses[i - 1][0]
                    cov = cov + 0.5 * max(pcov - cov, 0)  # context helps, the figure's own clause counts more
            bonus = 0.0
            if wants_standard and _STANDARD_WORDS.search(ctext):
                bonus += 0.5
            if wants_standard and _TOTAL_WORDS.search(ctext) and not _STANDARD_WORDS.search(ctext):
                bonus -= 0.3
            if "平均" in ctext and "平均" not in q:
                bonus -= 0.6
            score = cov + bonus
            if _qualifier_conflict(q, ctext):
                score *= 0.2
            if score > best[0]:
                end = ce
                while end > start and sent[end - 1] in "，,；;。！？!? ":
                    end -= 1
                best = (score, (offset + start, offset + end), m.group())
        return best[1], best[2], max(best[0], 0.0)

    # -- tables ------------------------------------------------------------------
    def _answer_table(self, analysis: QueryAnalysis, chunk: Chunk) -> Answer | None:
        """A row the question names (a county, or any row label it quotes, e.g. 示范区), or the rows
        a ranking / lowest / highest / rise / fall question picks out of the table."""
        table = _parse_table(chunk.text)
        if table is None:
            return None
        cols, rows, measure = table
        q = analysis.normalized
        names = {p.name for p in analysis.places if p.level == "county"}
        names |= {p.name for p in analysis.places if p.level == "city" and p.name != chunk.meta.get("city")}
        picked = [r for r in rows if any(_label_matches(r.label, n) for n in names) or r.label in q]
        note = ""
        if not picked:
            picked, note = _table_select(q, cols, rows, measure)
        if not picked:
            return None
        value_cols = list(range(len(cols)))
        if analysis.years and len(picked) == 1 and not note:
            value_cols = [i for i, c in enumerate(cols) if any(str(y) in c for y in analysis.years)] or value_cols
        parts = []
        for r in picked:
            vals = "，".join(f"{cols[i]}{measure}为{r.values[i]}" for i in value_cols if i < len(r.values))
            rank = f"，排名第{r.rank}" if r.rank else ""
            parts.append(f"{r.label}：{vals}{rank}")
        lead = f"{note}：" if note else ""
        title = chunk.heading or "表格"
        text = f"{lead}{'；'.join(parts)}[1]（{chunk.meta.get('city')}，{title}）。"
        span_end = chunk.start + max(r.end for r in picked)
        cit = self._citation(1, chunk, chunk.start, span_end)
        return self._finish(analysis, text, [cit], answerable=True)

    # -- the standards table -------------------------------------------------------
    def _standard_rows(self, analysis: QueryAnalysis, scope: set[str] | None) -> list["Standard"]:
        """Table rows that answer a standard question about places in ``scope``, or []."""
        if self.standards is None or analysis.intent != "amount":
            return []
        q = analysis.normalized
        # 平均 asks for a statistic: only the labelled average rows answer it, never a standard
        kind = "average" if "平均" in q else "standard"
        if kind == "standard" and not _asks_standard(q):
            return []
        cats = self.standards.vocab.detect(_QUESTION_PHRASES.sub(" ", q))
        if not cats:
            return []
        years = set(analysis.years)
        rows: list[Standard] = []
        seen: set[str] = set()
        for cat in cats:
            for r in self.standards.query(category=cat, latest=not years, include_averages=kind == "average"):
                if r.kind != kind or r.id in seen or r.source not in self.documents:
                    continue
                if scope is not None and r.source not in scope:
                    continue  # the table never answers for a place the question did not ask about
                if years and r.year not in years:
                    continue
                text = self.documents[r.source]["text"]
                if text[r.start:r.end] != r.text:
                    continue  # a stale table: never cite a span that is not there
                seen.add(r.id)
                rows.append(r)
        return rows

    def _answer_standards(self, analysis: QueryAnalysis, scope: set[str] | None) -> Answer | None:
        from .standards import format_row

        rows = self._standard_rows(analysis, scope)
        if not rows:
            return None
        vocab = self.standards.vocab
        rows = rows[: self.max_regions * 2]
        # one citation per span (城乡特困...分别为9600元、6000元 holds two rows)
        groups: dict[tuple[str, int, int], list[Standard]] = {}
        for r in rows:
            groups.setdefault((r.source, r.start, r.end), []).append(r)
        citations: list[Citation] = []
        lines: list[str] = []
        for n, ((source, start, end), grp) in enumerate(groups.items(), 1):
            r = grp[0]
            citations.append(self._row_citation(n, r))
            if _RESPECTIVELY.search(r.text):
                region = r.region or ""
                claim = _lead_with_region(r.text.strip("，,；; "), region)
                picked = _respectively(r.text, " ".join(x.category for x in grp))
                year = f"（{r.year}年）" if r.year else ""
                lines.append(f"{claim}{picked}[{n}]{year}")
            else:
                lines.extend(format_row(x, n, vocab) for x in grp)
        regions = list(dict.fromkeys(r.region or "" for r in rows))
        if len(lines) == 1:
            text = lines[0] + "。"
        elif len(regions) == 1:
            text = f"{regions[0]}的相关标准如下：\n" + "\n".join(f"- {ln}" for ln in lines)
        else:
            text = "各地资料中的标准如下（各报告年份不同，请注意年份）：\n" + "\n".join(f"- {ln}" for ln in lines)
        extra = _superlative_notes(analysis.normalized, rows, vocab) if len(regions) > 1 else []
        if extra:
            text += "\n" + "\n".join(extra)
        return self._finish(analysis, text, citations, answerable=True)

    def _row_citation(self, marker: int, row: "Standard") -> Citation:
        m = self.documents[row.source]["meta"]
        text = self.documents[row.source]["text"][row.start:row.end]
        return Citation(marker=marker, source=row.source, title=m.get("title") or "", city=m.get("city"),
                        year=m.get("year"), text=text, start=row.start, end=row.end, score=1.0)

    # -- output ------------------------------------------------------------------
    def _citation(self, marker: int, chunk: Chunk, start: int, end: int, score: float = 0.0) -> Citation:
        text = self.documents[chunk.source]["text"][start:end]
        m = chunk.meta
        return Citation(marker=marker, source=chunk.source, title=m.get("title") or "", city=m.get("city"),
                        year=m.get("year"), text=text, start=start, end=end, score=round(score, 4))

    def _render(self, analysis: QueryAnalysis, picks: list[Candidate]) -> Answer:
        citations = []
        lines = []
        for n, c in enumerate(picks, 1):
            doc_text = self.documents[c.chunk.source]["text"]
            if analysis.intent in ("procedure", "general"):
                c.clause_start, c.clause_end = c.start, _extend_sentence(doc_text, c)
            claim = doc_text[c.clause_start:c.clause_end].strip("，,；; ")
            if _respectively_about(claim, analysis.normalized):
                claim += _respectively(claim, analysis.normalized)
            region = c.chunk.meta.get("city") or ""
            period = c.chunk.meta.get("period") or (f"{c.chunk.meta.get('year')}年" if c.chunk.meta.get("year") else "")
            claim = _lead_with_region(claim, region)
            citations.append(self._citation(n, c.chunk, min(c.start, c.clause_start), max(c.end, c.clause_end), c.score))
            label = "，".join(x for x in (region, period) if x)
            lines.append(f"{claim}[{n}]（{label}）")
        if len(lines) == 1:
            text = lines[0] + "。"
        else:
            text = "各地资料中的相关内容如下（各报告年份不同，请注意年份）：\n" + "\n".join(f"- {ln}" for ln in lines)
        return self._finish(analysis, text, citations, answerable=True)

    def _finish(self, analysis: QueryAnalysis, text: str, citations: list[Citation], answerable: bool) -> Answer:
        ok, problems = check_grounding(text, citations, self.known_cities())
        if not ok:  # never show a figure we cannot point at
            return self._refuse(analysis, "资料中没有能够核实的答案。（" + "；".join(problems) + "）")
        return Answer(question=analysis.question, answer=text, answerable=answerable, citations=citations,
                      answerer=self.name)

    def known_cities(self) -> set[str]:
        return {d["meta"].get("city") for d in self.documents.values() if d["meta"].get("city")}

    def _refuse(self, analysis: QueryAnalysis, message: str) -> Answer:
        return Answer(question=analysis.question, answer=message, answerable=False, citations=[],
                      answerer=self.name)


_ELIGIBILITY = re.compile(r"对.{2,60}的.{0,30}(予以|给予|纳入|实行)|条件|符合|程序|申请")
_RESPECTIVELY = re.compile(r"城乡(.{0,20}?)分别为(\d+(?:\.\d+)?)元、(\d+(?:\.\d+)?)元")


def _qualifier_missing(q: str, sent: str) -> bool:
    """The question restricts to 农村/城市/散居/机构 but the sentence never says so."""
    for word in ("农村", "城市", "散居", "机构"):
        if word in q and word not in sent and not (word in ("农村", "城市") and "城乡" in sent):
            return True
    return False


_NEXT_FIGURE = re.compile(r"[，,、]([^，,；;。！？]*?\d[^，,；;。！？]*)")


def _extend_to_next_figure(text: str, end: int, sent_end: int) -> int:
    """For a question asking two figures: take the following clause too when it holds a figure."""
    m = _NEXT_FIGURE.match(text, end) if end < sent_end else None
    if m and m.end() <= sent_end:
        return m.end()
    return end


def _qualifier_conflict(q: str, ctext: str) -> bool:
    """农村 asked but only 城市 stated (or 散居 vs 机构): the clause is about something else."""
    return any(want in q and other not in q and other in ctext and want not in ctext and "城乡" not in ctext
               for want, other in QUALIFIERS)


# question phrases that look like qualifiers: 哪个城市的低保 asks about 城市 and 农村 alike
_QUESTION_PHRASES = re.compile(r"(?:哪个|哪些|哪几个|各个|各|每个|所有)城市")
_SUPERLATIVE_HIGH = re.compile(r"最高|最多|(?:哪个|哪里|哪些|谁)[^，,。？?]{0,12}(?:更|比较)?高")
_SUPERLATIVE_LOW = re.compile(r"最低|最少|(?:哪个|哪里|哪些|谁)[^，,。？?]{0,12}(?:更|比较)?低")
_LOW_WORDS = re.compile(r"最低生活保障|最低生活|最低养育|低保|低收入")
_PERIOD_WORD = {"月": "月标准", "年": "年标准"}


def _superlative_notes(q: str, rows: list["Standard"], vocab) -> list[str]:
    """最高/最低 across regions: compared only within one category and one period (月 vs 年),
    plus a note when the figures come from different years."""
    q = _LOW_WORDS.sub(" ", q)
    wants = [w for w, pat in (("最高", _SUPERLATIVE_HIGH), ("最低", _SUPERLATIVE_LOW)) if pat.search(q)]
    if not wants:
        return []
    notes: list[str] = []
    by_cat: dict[str, list[Standard]] = {}
    for r in rows:
        by_cat.setdefault(r.category, []).append(r)
    for cat, cat_rows in by_cat.items():
        if len({r.region for r in cat_rows}) < 2:
            continue
        label = vocab.label(cat) if cat in vocab.names else cat
        compared = False
        for period in ("年", "月"):
            same = [r for r in cat_rows if r.period == period]
            if len({r.region for r in same}) < 2:
                continue
            compared = True
            for w in wants:
                pick = max(same, key=lambda r: r.number) if w == "最高" else min(same, key=lambda r: r.number)
                ties = [r.region for r in same if r.number == pick.number]
                who = "、".join(dict.fromkeys(x or "" for x in ties))
                others = [r for r in same if r.region not in ties]
                notes.append(f"在按{_PERIOD_WORD[period]}计的{label}中，{who}{w}（{pick.amount}{pick.unit}，"
                             f"{pick.year}年）" + ("" if others else "，各地相同") + "。")
            left = [r for r in cat_rows if r.period != period]
            if left:
                notes.append("未参与比较：" + "、".join(
                    f"{r.region}（{'未注明按月还是按年' if r.period is None else '按' + r.period + '计'}）"
                    for r in left) + "，计算周期不同，不能直接比较。")
        if not compared:
            desc = "、".join(f"{r.region}{'未注明周期' if r.period is None else '按' + r.period + '计'}"
                             for r in cat_rows)
            notes.append(f"各地{label}的计算周期不同或未注明（{desc}），无法直接比较高低。")
    years = {r.year for r in rows}
    if len(years) > 1:
        per_region = "、".join(dict.fromkeys(f"{r.region}{r.year}年" for r in rows if r.year))
        notes.append(f"注意：各地数据年份不同（{per_region}），比较时请留意年份。")
    return notes


def _asks_standard(q: str) -> bool:
    return bool(re.search(r"标准|一个月|每月|每个月|一年|每年|每人", q))


def _respectively_about(claim: str, q: str) -> bool:
    """Is the 城乡…分别为X元、Y元 list of ``claim`` about the benefit the question names?
    (焦作 低保 must not be told 其中农村为6000元 from 城乡特困…分别为9600元、6000元.)"""
    from .standards import load_vocabulary

    m = _RESPECTIVELY.search(claim)
    if not m:
        return False
    vocab = load_vocabulary()
    asked = {x.family for x in vocab.mentions(q)}
    listed = {x.family for x in vocab.mentions("城乡" + m.group(1))}
    return not asked or bool(asked & listed)


def _respectively(claim: str, q: str) -> str:
    """城乡…分别为X元、Y元: say which figure is which when the question picks one."""
    m = _RESPECTIVELY.search(claim)
    if not m:
        return ""
    if "城市" in q and "农村" not in q:
        return f"（其中城市为{m.group(2)}元）"
    if "农村" in q and "城市" not in q:
        return f"（其中农村为{m.group(3)}元）"
    return f"（城市{m.group(2)}元、农村{m.group(3)}元）"


def _extend_sentence(doc_text: str, c: "Candidate") -> int:
    """For procedure/general answers: the sentence, plus the next one of the chunk when
    the first only announces the topic (short)."""
    if c.end - c.start >= 40:
        return c.end
    nxt = split_sentences(doc_text[c.end:c.chunk.end], c.end)
    return nxt[0][1] if nxt else c.end


def _lead_with_region(claim: str, region: str) -> str:
    if not region:
        return claim
    m = re.match(r"^(全市|我市|本市|全区|我区|本区|该市|市)(?=[\u4e00-\u9fff])", claim)
    if m:
        return region + claim[m.end():]
    m = re.search(r"(全市|我市|本市)", claim[:12])
    if m:
        return claim[:m.start()] + region + claim[m.end():]
    short = region[:-1] if region.endswith(("市", "区", "县")) else region
    if short in claim[:12] or (len(region) > 4 and region[-3:-1] in claim[:12]):
        return claim
    return f"{region}{claim}"


# -- tables (the 火化率 table of 002 and any table of the same shape) ---------------------------

@dataclass(frozen=True)
class TableRow:
    label: str  # 县市区
    values: tuple[str, ...]  # one per value column, as printed (71.82%)
    rank: int | None
    end: int  # offset of the row's end inside the chunk text


_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_number(text: str) -> int | None:
    """3, 三, 十一, 二十 → int."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(text)


def _number(value: str) -> float | None:
    m = re.match(r"-?\d+(?:\.\d+)?", value)
    return float(m.group(0)) if m else None


def _label_matches(label: str, name: str) -> bool:
    short = name[:-1] if len(name) > 2 else name
    return label == name or label == short or label.startswith(short)


def _parse_table(text: str) -> tuple[list[str], list[TableRow], str] | None:
    """(value column names, rows, what the values measure) of a ``序号 名称 值… 排名`` table
    (one or two header lines); None for any other shape."""
    lines = text.split("\n")
    header = [ln for ln in lines if not re.match(r"^\d+\t", ln)]
    if not header:
        return None
    top = header[0].split("\t")
    has_rank = bool(top) and "排名" in top[-1]
    cols = [c for c in header[-1].split("\t") if c] if len(header) > 1 else [c for c in top[2:-1 if has_rank else None] if c]
    rows, offset = [], 0
    for ln in lines:
        start = text.index(ln, offset)
        offset = start + len(ln)
        if not re.match(r"^\d+\t", ln):
            continue
        cells = [c for c in ln.split("\t")]
        if len(cells) < 3:
            continue
        values = [c for c in cells[2:] if c]
        rank = None
        if has_rank and len(values) > len(cols):
            rank = int(values[-1]) if values[-1].isdigit() else None
            values = values[:-1]
        rows.append(TableRow(cells[1], tuple(values), rank, start + len(ln)))
    if not rows or not cols:
        return None
    measure = next((c for c in top[2:] if c and "排名" not in c), "") if len(header) > 1 else ""
    return cols, rows, measure


def _table_select(q: str, cols: list[str], rows: list[TableRow], measure: str = "") -> tuple[list[TableRow], str]:
    """The rows a ranking / extreme / change question asks for, and a lead that says which."""
    if "排名" in q or "名次" in q or "第" in q:
        if re.search(r"最后|末位|倒数第一", q):
            last = max((r.rank for r in rows if r.rank), default=None)
            return [r for r in rows if r.rank == last], f"排名最后（第{last}名）的是"
        m = re.search(r"第([0-9一二两三四五六七八九十]+)", q)
        if m and (n := _cn_number(m.group(1))):
            return [r for r in rows if r.rank == n], f"排名第{n}的是"
        if re.search(r"(并列)?第一|最好|最高", q):
            return [r for r in rows if r.rank == 1], "排名第1的是"
    col = 0
    for i, c in enumerate(cols):
        year = re.match(r"(\d{4})年", c)
        if year and year.group(1) in q and (len(c) <= 5 or c[5:] in q or "月" not in q):
            col = i
    if len(cols) >= 2 and re.search(r"下降|降低|减少|回落", q):
        out = [r for r in rows if len(r.values) >= 2 and _lt(r.values[-1], r.values[0])]
        return out, f"{cols[-1]}{measure}比{cols[0]}下降的是"
    if len(cols) >= 2 and re.search(r"上升|提高|增长|增加", q) and "最" not in q:
        out = [r for r in rows if len(r.values) >= 2 and _lt(r.values[0], r.values[-1])]
        return out, f"{cols[-1]}{measure}比{cols[0]}上升的是"
    for words, pick, label in ((r"最低|最少|最差", min, "最低"), (r"最高|最多|最好", max, "最高")):
        if re.search(words, q):
            scored = [(v, r) for r in rows if col < len(r.values) and (v := _number(r.values[col])) is not None]
            if not scored:
                return [], ""
            best = pick(v for v, _ in scored)
            return [r for v, r in scored if v == best], f"{cols[col]}{measure}{label}的是"
    return [], ""


def _lt(a: str, b: str) -> bool:
    x, y = _number(a), _number(b)
    return x is not None and y is not None and x < y


def _benefit_terms(q: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words naming the benefit families the question names, words naming every other family)."""
    from .standards import load_vocabulary

    vocab = load_vocabulary()
    asked: list[str] = []
    others: list[str] = []
    for family in vocab.families:
        terms = vocab.terms(family)
        (asked if any(t in q for t in terms) else others).extend(terms)
    return tuple(asked), tuple(t for t in others if not any(t in a for a in asked))

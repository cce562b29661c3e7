"""The evaluation sets ``civilqa eval --set`` runs side by side.

==============  =================================================  ======================================
set             questions                                          index
==============  =================================================  ======================================
seeds           ``eval/questions.jsonl`` (or ``--questions``)       the product index (seeds/)
newdocs         ``eval/newdocs/questions.jsonl``, split ``dev``     seeds + the new documents, mixed
newdocs-test    the same file, split ``test`` (measure rarely)      the same index as newdocs
holdout         ``eval/holdout/questions.jsonl`` (now studied)      seeds + new + held-out documents
holdout2        ``eval/holdout2/questions.jsonl`` (now studied)     the holdout corpus + 12 more documents
holdout3        ``eval/holdout3/questions.jsonl`` (now studied)     the holdout2 corpus + 12 more documents
holdout4        ``eval/holdout4/questions.jsonl`` (measure only)    the holdout3 corpus + 12 more documents
holdout5        ``eval/holdout5/questions.jsonl`` (measure only)    the holdout4 corpus + 12 more documents
holdout6        ``eval/holdout6/questions.jsonl`` (measure only)    the holdout5 corpus + 12 more documents
holdout7        ``eval/holdout7/questions.jsonl`` (measure only)    the holdout6 corpus + 12 more documents
holdout8        ``eval/holdout8/questions.jsonl`` (now studied)     the holdout7 corpus + 12 more documents
holdout9        ``eval/holdout9/questions.jsonl`` (now studied)     the holdout8 corpus + 12 more documents
holdout10       ``eval/holdout10/questions.jsonl`` (now studied)     the holdout9 corpus + 12 more documents
holdout11       ``eval/holdout11/questions.jsonl`` (now studied)     the holdout10 corpus + 12 more documents
holdout12       ``eval/holdout12/questions.jsonl`` (now studied)     the holdout11 corpus + 12 more documents
holdout13       ``eval/holdout13/questions.jsonl`` (measured clean)  the holdout12 corpus + 12 more documents
news            ``eval/news/questions.jsonl`` (now tuned on)        seeds + 58 real news items (../shared)
news-test       ``eval/news/test.jsonl`` (other items; studied late)  the same index as news
news-test2      ``eval/news/test2.jsonl`` (measure only, others)    the same index as news
news20k-test    ``eval/news20k/test.jsonl`` (now studied)            seeds + news-20k items by id (../shared)
news20k-test2   ``eval/news20k/test2.jsonl`` (now studied)           the same index as news20k-test
news20k-test3   ``eval/news20k/test3.jsonl`` (now studied)           the same index as news20k-test
news20k-test4   ``eval/news20k/test4.jsonl`` (now studied)           the same index as news20k-test
news20k-test5   ``eval/news20k/test5.jsonl`` (studied, others)       the same index as news20k-test
news20k-test6   ``eval/news20k/test6.jsonl`` (now studied)            the same index as news20k-test
news20k-test7   ``eval/news20k/test7.jsonl`` (measure only, others)  the same index as news20k-test
ncp             NCPPolicies ``questions.jsonl`` (from ../shared)    all 599 NCPPolicies documents
==============  =================================================  ======================================

A set with its own corpus gets its own index under ``.civilqa/eval-index/set-<corpus>/``,
built incrementally (unchanged files are neither read nor embedded again), so the second run
over NCPPolicies costs seconds, not the first run's minutes of embedding.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from assistant.chain import default_seeds_dir
from ingest.errors import ConfigError, InputError

from . import corpora
from .dataset import Question, QuestionSet, load_questions, read_jsonl

SET_NAMES = ("seeds", "newdocs", "newdocs-test", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6",
             "holdout7",
             "holdout8", "holdout9", "holdout10", "holdout11", "holdout12", "holdout13",
             "news", "news-test", "news-test2",
             "news20k-test", "news20k-test2", "news20k-test3", "news20k-test4", "news20k-test5",
             "news20k-test6", "news20k-test7", "ncp")
MAX_NCP_QUESTIONS = 10_000
# the news20k sets share one index; each asks about its own items (role civil, civil2, ... in items.json)
NEWS20K_FILES = {"news20k-test": "test.jsonl", "news20k-test2": "test2.jsonl", "news20k-test3": "test3.jsonl",
                 "news20k-test4": "test4.jsonl", "news20k-test5": "test5.jsonl",
                 "news20k-test6": "test6.jsonl", "news20k-test7": "test7.jsonl"}


@dataclass(frozen=True)
class EvalSet:
    name: str
    questions: QuestionSet
    corpus: str | None = None  # None: the product index; else a key of CORPORA


def _newdocs_corpus() -> list[Path]:
    return [default_seeds_dir(), *corpora.newdocs_paths()]


def _holdout_corpus() -> list[Path]:
    return [*_newdocs_corpus(), *corpora.holdout_paths()]


def _holdout2_corpus() -> list[Path]:
    return [*_holdout_corpus(), *corpora.holdout2_paths()]


def _holdout3_corpus() -> list[Path]:
    return [*_holdout2_corpus(), *corpora.holdout3_paths()]


def _holdout4_corpus() -> list[Path]:
    return [*_holdout3_corpus(), *corpora.holdout4_paths()]


def _holdout5_corpus() -> list[Path]:
    return [*_holdout4_corpus(), *corpora.holdout5_paths()]


def _holdout6_corpus() -> list[Path]:
    return [*_holdout5_corpus(), *corpora.holdout6_paths()]


def _holdout7_corpus() -> list[Path]:
    return [*_holdout6_corpus(), *corpora.holdout7_paths()]


def _holdout8_corpus() -> list[Path]:
    return [*_holdout7_corpus(), *corpora.holdout8_paths()]


def _holdout9_corpus() -> list[Path]:
    return [*_holdout8_corpus(), *corpora.holdout9_paths()]


def _holdout10_corpus() -> list[Path]:
    return [*_holdout9_corpus(), *corpora.holdout10_paths()]


def _holdout11_corpus() -> list[Path]:
    return [*_holdout10_corpus(), *corpora.holdout11_paths()]


def _holdout12_corpus() -> list[Path]:
    return [*_holdout11_corpus(), *corpora.holdout12_paths()]


def _holdout13_corpus() -> list[Path]:
    return [*_holdout12_corpus(), *corpora.holdout13_paths()]


def _news_corpus() -> list[Path]:
    return [default_seeds_dir(), *corpora.news_paths()]


def _news20k_corpus() -> list[Path]:
    return [default_seeds_dir(), *corpora.news20k_paths()]


CORPORA: dict[str, Callable[[], list[Path]]] = {
    "news": _news_corpus,
    "news20k": _news20k_corpus,
    "newdocs": _newdocs_corpus,
    "holdout": _holdout_corpus,
    "holdout2": _holdout2_corpus,
    "holdout3": _holdout3_corpus,
    "holdout4": _holdout4_corpus,
    "holdout5": _holdout5_corpus,
    "holdout6": _holdout6_corpus,
    "holdout7": _holdout7_corpus,
    "holdout8": _holdout8_corpus,
    "holdout9": _holdout9_corpus,
    "holdout10": _holdout10_corpus,
    "holdout11": _holdout11_corpus,
    "holdout12": _holdout12_corpus,
    "holdout13": _holdout13_corpus,
    "ncp": corpora.ncp_paths,
}


def load_ncp_questions(base: Path | None = None) -> QuestionSet:
    """NCPPolicies questions as ``Question``s: the gold document and the annotated answer
    (``reference``), no answer keys: they are scored by doc hit and ROUGE-L recall."""
    import hashlib

    path = (base or corpora.ncp_dir()) / "questions.jsonl"
    raw, rows = read_jsonl(path, "（设置 CIVILQA_NCP_DIR 指向该数据集目录）")
    out = []
    for n, obj in rows:
        try:
            qid, docid, question, answer = (str(obj[k]) for k in ("id", "docid", "question", "answer"))
        except (KeyError, TypeError) as exc:
            raise InputError(f"{path.name} 第 {n} 行：需要 id、docid、question、answer（{exc}）") from exc
        out.append(Question(f"ncp-{qid[:12]}", question, True, (), "ncp", (f"{docid}.txt",), (), None, n,
                            "dev", answer.strip()))
        if len(out) > MAX_NCP_QUESTIONS:
            raise InputError(f"{path.name}：问题数超过 {MAX_NCP_QUESTIONS} 上限")
    if not out:
        raise InputError(f"{path} 中没有问题（empty）")
    return QuestionSet(path, hashlib.sha256(raw).hexdigest(), tuple(out))


def load_set(name: str, seeds_questions: Path | None = None) -> EvalSet:
    if name == "seeds":
        return EvalSet(name, load_questions(seeds_questions))
    if name in ("newdocs", "newdocs-test"):
        qs = load_questions(corpora.NEWDOCS / "questions.jsonl")
        return EvalSet(name, qs.split("test" if name == "newdocs-test" else "dev"), "newdocs")
    if name == "holdout":
        return EvalSet(name, load_questions(corpora.HOLDOUT / "questions.jsonl"), "holdout")
    if name == "holdout2":
        return EvalSet(name, load_questions(corpora.HOLDOUT2 / "questions.jsonl").split("test"), "holdout2")
    if name == "holdout3":
        return EvalSet(name, load_questions(corpora.HOLDOUT3 / "questions.jsonl").split("test"), "holdout3")
    if name == "holdout4":
        return EvalSet(name, load_questions(corpora.HOLDOUT4 / "questions.jsonl").split("test"), "holdout4")
    if name == "holdout5":
        return EvalSet(name, load_questions(corpora.HOLDOUT5 / "questions.jsonl").split("test"), "holdout5")
    if name == "holdout6":
        return EvalSet(name, load_questions(corpora.HOLDOUT6 / "questions.jsonl").split("test"), "holdout6")
    if name == "holdout7":
        return EvalSet(name, load_questions(corpora.HOLDOUT7 / "questions.jsonl").split("test"), "holdout7")
    if name == "holdout8":
        return EvalSet(name, load_questions(corpora.HOLDOUT8 / "questions.jsonl").split("test"), "holdout8")
    if name == "holdout9":
        return EvalSet(name, load_questions(corpora.HOLDOUT9 / "questions.jsonl").split("test"), "holdout9")
    if name == "holdout10":
        return EvalSet(name, load_questions(corpora.HOLDOUT10 / "questions.jsonl").split("test"), "holdout10")
    if name == "holdout11":
        return EvalSet(name, load_questions(corpora.HOLDOUT11 / "questions.jsonl").split("test"), "holdout11")
    if name == "holdout12":
        return EvalSet(name, load_questions(corpora.HOLDOUT12 / "questions.jsonl").split("test"), "holdout12")
    if name == "holdout13":
        return EvalSet(name, load_questions(corpora.HOLDOUT13 / "questions.jsonl").split("test"), "holdout13")
    if name in ("news", "news-test", "news-test2"):
        file = {"news-test": "test.jsonl", "news-test2": "test2.jsonl"}.get(name, "questions.jsonl")
        return EvalSet(name, load_questions(corpora.NEWS / file), "news")
    if name in NEWS20K_FILES:
        return EvalSet(name, load_questions(corpora.NEWS20K / NEWS20K_FILES[name]).split("test"), "news20k")
    if name == "ncp":
        return EvalSet(name, load_ncp_questions(), "ncp")
    raise ConfigError(f"未知的评测集：{name!r}，可选：{'、'.join(SET_NAMES)}"
                      f"（Unknown set {name!r}. Choose from {', '.join(map(repr, SET_NAMES))}）")


def parse_sets(names: list[str], seeds_questions: Path | None = None) -> list[EvalSet]:
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"评测集重复：{'、'.join(dupes)}（duplicate --set）")
    for n in names:
        if n not in SET_NAMES:
            load_set(n)  # raises with the list of names
    return [load_set(n, seeds_questions) for n in names]

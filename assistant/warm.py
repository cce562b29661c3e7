"""The one-time loads the answer layer would otherwise make the first questions pay: measured in
the first round of the question set at 10^6 chunks (eval/reports/bench/news.md), cn2an's import
(it compiles a regex of every city, ~1.2 s; :func:`assistant.answer.figures.chinese_number`) and the jieba
dictionary the place finder asks where a short name runs into a word (~0.5 s;
:func:`ingest.places.segmenter`), and the OpenCC converters that write an answer back in
traditional characters (s2tw alone ~55 ms; :func:`assistant.scripts.traditional_config`), and
jieba's part-of-speech tagger, which loads its whole dictionary on the first word the documents
never use (~0.6 s in one question of the first round at 10^6, on top of its answer stage;
:func:`index.tokenize.word_tags`, :func:`index.tokenize.load_tagger`).
``Assistant.warm_up`` runs :func:`warm_up` in a daemon thread at start-up, so a server's first
users do not wait for them."""
from __future__ import annotations

from index.tokenize import load_tagger
from ingest.places import segmenter
from ingest.text import converter

from .answer.figures import chinese_number
from .scripts import TRADITIONAL_CONFIGS


def warm_up() -> None:
    """Load what the first questions would otherwise load (idempotent; the import and the place
    finder's tokenizer are behind their locks, and a converter built twice by a race is only
    built twice)."""
    chinese_number("一万")  # not digit by digit: parsed by cn2an, which is imported here
    segmenter()
    for config in ("t2s", *TRADITIONAL_CONFIGS):
        converter(config)
    load_tagger()

"""Benefit standards (保障标准) stated in the reports, as data.

Citizens ask "how much is X where I live". The reports answer in running prose
(``农村最低生活保障年标准提高到4524元``, ``城乡特困基本生活年标准分别为9600元、6000元``,
``自2016年7月1日起,城市低保标准由520元提高到550元``). This module turns such
clauses into :class:`Standard` rows with exact offsets into ``Document.text``.

Public API
----------
- :class:`Vocabulary` (section ``benefits`` of ``assistant/data/vocabulary.json``): benefit categories and
  their synonyms; ``detect(question)`` names the categories a text asks about.
- :func:`extract_standards` (``Document -> list[Standard]``): rule-based.
- :class:`StandardsTable`: rows with ``save``/``load`` (versioned JSON) and
  ``query(region=, category=, year=)``; :func:`build_table_json` is the ingest
  hook (``assistant.kb.ARTIFACTS``).
- :func:`format_row`: one cited sentence per row for answers.

Modules: :mod:`.rows` (:class:`Standard`, :func:`extract_standards`: the view of the facts
layer), :mod:`.table` (:class:`StandardsTable`, persistence, queries, the ingest hook and its
version :func:`table_fingerprint`), :mod:`.present` (:func:`format_row`).

Rules (see :func:`extract_standards`): a text is cut into sentences
(``。！？；`` and line breaks) and clauses (``，,``). An amount is a number
followed by 元 (lists like ``9600元、6000元`` are one amount list). It becomes a
row when

- the clause (or, failing that, the clause before it in the same sentence) has a
  standard word (标准, 提高到, 提高至, 提标, 调整为, ...) → ``kind="standard"``;
  or the clause says 平均 before the amount → ``kind="average"`` (a statistic,
  labelled as such, never presented as a standard);
- and a benefit category is named in the clause (else in an earlier clause of
  the same sentence).

Never rows: amounts in 万元/亿元 or with 余/多 (spending totals), amounts right
after 发放/支出/下拨/累计/... with no standard word in between, differences
(``比...高25.45元``, ``提高50元``) and the ``X`` of ``由X元提高到Y元`` (that is
``previous``).

No heavy import (no torch, gradio, numpy or FAISS): the package reads the facts layer and the vocabulary.
"""
from __future__ import annotations

from ..benefits import (  # noqa: F401 (re-exported)
    VOCABULARY_PATH,
    VOCABULARY_VERSION,
    Mention,
    Vocabulary,
    load_vocabulary,
)
from .present import format_row  # noqa: F401
from .rows import Standard, extract_standards, table_standards  # noqa: F401
from .table import (  # noqa: F401
    FORMAT_VERSION,
    LISTED_KINDS,
    TABLE_ARTIFACT,
    StandardsTable,
    build_table_json,
    region_matches,
    table_fingerprint,
)

"""The one-time loads the answer layer would otherwise make the first questions pay: measured in
the first round of the question set at 10^6 chunks (eval/reports/bench/news.md), cn2an's import
(it compiles a regex of every city, ~1.2 s; :func:`.figures.chinese_number`) and the jieba
dictionary the place finder asks where a short name runs into a word (~0.5 s;
:func:`ingest.places.segmenter`). ``Assistant.warm_up`` runs :func:`warm_up` in a daemon thread
at start-up, so a server's first users do not wait for them."""
from __future__ import annotations

from ingest.places import segmenter

from .figures import chinese_number


def warm_up() -> None:
    """Load what the first questions would otherwise load (idempotent, thread-safe: both loads
    are behind a lock, the import lock and the place finder's)."""
    chinese_number("一万")  # not digit by digit: parsed by cn2an, which is imported here
    segmenter()

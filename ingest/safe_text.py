"""Text from outside (a document, a question, a terminal line) made safe to process and print.

- ``replace_surrogates``: lone UTF-16 surrogates (``\\ud800``; what undecodable bytes become under
  ``surrogateescape``, or a JSON ``"\\ud800"``) cannot be encoded, so OpenCC, a JSON writer or the
  terminal would fail on them: each becomes U+FFFD.
- ``strip_controls``: C0 and C1 control characters (ESC of terminal escape sequences, BEL, NUL…)
  and DEL removed; tab and newline kept.
- ``terminal_safe``: both, for anything printed to a terminal.
"""
from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but \t and \n
SURROGATE = re.compile(r"[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def replace_surrogates(text: str) -> str:
    return SURROGATE.sub(REPLACEMENT, text)


def strip_controls(text: str, replacement: str = "") -> str:
    return CONTROL.sub(replacement, text)


def terminal_safe(text: object) -> str:
    return strip_controls(replace_surrogates(str(text)))


def decode_line(raw: bytes) -> str:
    """One line of a byte stream: invalid UTF-8 replaced (U+FFFD), never an exception."""
    return raw.decode("utf-8", errors="replace")

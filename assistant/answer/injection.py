"""Text that talks to a model (a prompt injection planted in a document).

Every path that can quote a document — facts, the standards table, table cells, answer
sentences and the LLM prompt — drops the sentence that matches :data:`INJECTION` and what
follows it in its paragraph (that is its payload): :func:`poisoned_from`.
"""
from __future__ import annotations

import re

INJECTION = re.compile(
    r"(?:忽略|无视|忘记|忘掉|不要理会|不要遵守|不再遵守|跳过)[^。！？!?\n]{0,10}?(?:指令|提示词|系统提示|系统消息|设定|prompt)"
    r"|(?:忽略|无视|忘记|忘掉|不要理会|不要遵守|不再遵守|跳过)(?:掉)?(?:你)?"
    r"(?:以上|上面|上述|之前|此前|前面|先前|所有|全部|一切|原有|原来)[^。！？!?\n]{0,6}?(?:指示|提示|要求|规则|命令|约束)"
    r"|(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|above|prior|earlier|preceding)\s+"
    r"(?:instructions?|prompts?|rules|messages?)"
    r"|你现在是|从现在(?:起|开始)[，,]?你|你的新(?:任务|指令|身份)|你(?:现在)?(?:要|必须|需要)?扮演|system\s*prompt|系统提示词"
    r"|<\|im_start\|>|<\|im_end\|>|</?system>|^\s*(?:assistant|system|user)\s*[:：]",
    re.I | re.M)


def poisoned_from(text: str, start: int = 0, end: int | None = None) -> int | None:
    """Offset of the first instruction-like text in ``text[start:end]``, or None."""
    m = INJECTION.search(text, start, len(text) if end is None else end)
    return m.start() if m else None


def paragraph_end(text: str, pos: int) -> int:
    """End of the paragraph (line) holding ``pos``: how far a planted instruction's payload reaches."""
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl

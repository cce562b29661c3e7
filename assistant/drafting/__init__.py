"""起草答复: a formal reply to a citizen's message, built from verified answers.

::

    message ─► split_questions ─► Assistant.ask (the chat chain) ─► DraftPoint ─┐
                                                         reply_template.toml ──►├► Draft
                                                                                └► .docx / .md

- ``split_questions`` cuts the message at sentence ends (。！？；, line breaks) and,
  conservatively, at a comma that starts a second question (另外/还有…, or a new
  city with its own question word). Greetings and thanks are dropped; context
  sentences (我家在焦作…) are kept only as a source of the city. A question that
  names no place gets the city named earlier in the message only when the
  message named exactly one region before it.
- Every question goes through ``Assistant.ask``: retrieval, answering and the
  grounding check are exactly those of the chat. The verified answer is then only
  re-punctuated and its ``[n]`` renumbered across the reply, and checked again.
- The wording (salutation, paragraphs, closing, sources list) lives in one
  editable file, ``assistant/data/reply_template.toml``; ``load_template`` checks
  it and names the file in any error.

Limits: a message has at most ``MAX_MESSAGE_CHARS`` characters and
``MAX_QUESTIONS`` questions; each question at most ``MAX_QUESTION_CHARS``.

The package: ``message`` (splitting), ``template`` (the wording file), ``draft`` (the verified
points and the reply), ``export`` (.docx / .md).
"""
from __future__ import annotations

from .draft import (
    CitationNumbering,
    Draft,
    DraftPoint,
    changed_figures,
    chinese_count,
    chinese_number,
    draft_reply,
    make_point,
    topic_of,
)
from .export import EXPORT_SUFFIXES, check_export_path, export, render_markdown
from .message import (
    MAX_MESSAGE_CHARS,
    MAX_MESSAGE_FILE_BYTES,
    MAX_QUESTIONS,
    Question,
    clean_message,
    parse_message,
    read_message_file,
    segments,
    split_questions,
)
from .template import TEMPLATE_PATH, ReplyTemplate, load_template, template_path

__all__ = [
    "CitationNumbering", "Draft", "DraftPoint", "EXPORT_SUFFIXES", "MAX_MESSAGE_CHARS", "MAX_MESSAGE_FILE_BYTES",
    "MAX_QUESTIONS", "Question", "ReplyTemplate", "TEMPLATE_PATH", "changed_figures", "check_export_path",
    "chinese_count", "chinese_number", "clean_message", "draft_reply", "export", "load_template", "make_point",
    "parse_message", "read_message_file", "render_markdown", "segments", "split_questions", "template_path",
    "topic_of",
]

"""The Gradio app. It calls ``assistant/`` only and holds no retrieval logic.

Tab 问答: a chat whose answers carry numbered citations; clicking a citation (in the 引用
list, or its [n] in the answer) shows the source report with the cited span highlighted and
scrolled into view (ui/render.py). Example questions ask when clicked; every answer can be
rated 👍/👎 with a comment (ui/feedback_tab.py, stored by assistant/feedback.py).

Tab 补贴标准速查: the benefit-standards table extracted at ingest, filterable by
region, category and year; selecting a row shows its source span highlighted.
The filtering and rendering are the pure functions ``standards_filters``,
``standards_rows``/``standards_state`` and ``standard_source_html``.

Tab 知识库管理 (``ui/kb_tab.py``): upload, list with editable region/year, delete, re-index.

Tab 反馈记录 (``ui/feedback_tab.py``): the answers people flagged, with CSV/XLSX export.

Everything user- or document-supplied is HTML-escaped before display.
"""
from __future__ import annotations

import html
import os
from types import SimpleNamespace
from typing import Any

from assistant.chain import default_seeds_dir
from assistant.examples import examples_for
from assistant.feedback import FeedbackStore, default_path
from assistant.kb import library_dir
from assistant.present import amount_label, citation_label, citation_title
from assistant.standards import LISTED_KINDS
from ingest.errors import CivilQAError
from ingest.safe_text import replace_surrogates
from ui.auth import Authenticator
from ui.draft_tab import DraftExports, build_draft_tab
from ui.feedback_tab import add_comment, build_feedback_tab, record_turn, staff_rows, vote
from ui.guard import Guard
from ui.i18n import translations
from ui.llm_stream import streaming_handler, streams

from .kb_tab import UPLOAD_JS, build_kb_tab
from .limits import MAX_UPLOAD_BYTES, trim_history
from .render import (  # noqa: F401 (format_answer re-exported)
    CSS,
    ECHO_CHARS,
    PAGE_JS,
    SOURCES_HINT,
    format_answer,
    source_html,
)

def render_source(document_text: str, citation: dict[str, Any], **kwargs: Any) -> str:
    """The cited span highlighted inside its surrounding text, all escaped (``ui.render.source_html``)."""
    return source_html(document_text, citation, **kwargs)


def chat_turn(assistant, message: str, history: list[dict[str, Any]] | None):
    """One question: returns (history, citations, radio choices). Errors become a chat reply.
    A follow-up (那农村的呢？) is resolved against the chat so far and shown as 已理解为：…"""
    history = trim_history(history)  # older turns dropped: never echoed back (ui/limits.py)
    message = replace_surrogates(message) if isinstance(message, str) else message  # unencodable
    try:
        answer = assistant.ask(message, history).to_dict()
    except CivilQAError as exc:
        shown = message or ""
        if len(shown) > ECHO_CHARS:  # a refused 200k-character question is not sent back whole
            shown = f"{shown[:ECHO_CHARS]}…（共 {len(shown)} 字）"
        history += [{"role": "user", "content": html.escape(shown)},
                    {"role": "assistant", "content": html.escape(f"⚠️ {exc}")}]
        return history, [], []
    history += [{"role": "user", "content": html.escape(message)},
                {"role": "assistant", "content": format_answer(answer)}]
    return history, answer["citations"], [citation_label(c) for c in answer["citations"]]


DOCUMENT_HEADERS = ["报告", "地区", "年份", "文件"]


def documents_table(assistant) -> list[list[Any]]:
    """One row per report, its title first (the file name last, for staff)."""
    return [[citation_title(d), d["city"] or "", d["year"] or "", d["source"]] for d in assistant.documents()]


ALL = "全部"
STANDARD_HEADERS = ["地区", "年份", "类别", "标准", "原标准", "来源"]


def _table(assistant):
    return getattr(assistant, "standards", None)


def standards_filters(assistant) -> tuple[list[str], list[str], list[str]]:
    """Dropdown choices (regions, categories, years), each led by ``全部``."""
    table = _table(assistant)
    rows = [r for r in table if r.kind in LISTED_KINDS] if table is not None else []
    regions = list(dict.fromkeys(sorted(r.region for r in rows if r.region)))
    cats = [c for c in (table.categories() if table is not None else []) if any(r.category == c for r in rows)]
    years = [str(y) for y in sorted({r.year for r in rows if r.year}, reverse=True)]
    return [ALL] + regions, [ALL] + cats, [ALL] + years


def _picked(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return None if value in ("", ALL) else value


def filter_standards(assistant, region: Any = None, category: Any = None, year: Any = None) -> list:
    """The table's standards (not averages, repeats dropped) that match the dropdowns exactly."""
    table = _table(assistant)
    if table is None:
        return []
    region, category, year = _picked(region), _picked(category), _picked(year)
    rows = table.query(include_averages=False, unique=True)
    # a region picked lists its own rows and those of the places below it (a city's county table)
    return [r for r in rows if (region is None or (r.region or "").startswith(region))
            and (category is None or r.category == category)
            and (year is None or str(r.year) == year)]


def _report_title(assistant, source: str) -> str:
    meta = (getattr(getattr(assistant, "index", None), "documents", {}) or {}).get(source, {}).get("meta", {})
    return citation_title({"title": meta.get("title"), "source": source})


def standards_rows(assistant, region: Any = None, category: Any = None, year: Any = None) -> list[list[Any]]:
    """Display rows: 地区, 年份, 类别, 标准 (amount + unit/period), 原标准, 来源 (the report's title;
    the file and offsets are shown with the source text when the row is clicked)."""
    return [[r.region or "", r.year or "", r.category + (f"（{r.qualifier}）" if r.qualifier else ""), amount_label(r),
             f"{r.previous}{r.unit}" if r.previous else "", _report_title(assistant, r.source)]
            for r in filter_standards(assistant, region, category, year)]


def standards_state(assistant, region: Any = None, category: Any = None, year: Any = None) -> list[dict]:
    """What the selected-row handler needs: the rows shown, as ``Standard.to_dict()``."""
    return [r.to_dict() for r in filter_standards(assistant, region, category, year)]


def standard_source_html(assistant, rows_state: list[dict] | None, index: Any) -> str:
    """The source span of the selected row, highlighted and escaped (``render_source``)."""
    if isinstance(index, (list, tuple)):
        index = index[0] if index else None
    rows = rows_state or []
    if not isinstance(index, int) or not 0 <= index < len(rows):
        return "<div class='civilqa-meta'>点击表格中的一行，在此查看原文。</div>"
    row = rows[index]
    meta = assistant.index.documents.get(row["source"], {}).get("meta", {})
    citation = {"marker": index + 1, "title": meta.get("title") or "", "city": meta.get("city") or row.get("region"),
                "year": meta.get("year") or row.get("year"), "source": row["source"],
                "start": row["start"], "end": row["end"]}
    return render_source(assistant.document_text(row["source"]), citation)


def _standards_tab(assistant) -> None:
    """The 补贴标准速查 tab: filters, the table, the source of a picked row."""
    import gradio as gr

    with gr.Tab("补贴标准速查"):
        regions, categories, years = standards_filters(assistant)
        gr.Markdown("报告中写明的保障标准（各报告年份不同，请注意年份）。点击一行查看原文出处。")
        with gr.Row():
            f_region = gr.Dropdown(regions, value=ALL, label="地区", elem_id="std-region")
            f_category = gr.Dropdown(categories, value=ALL, label="类别", elem_id="std-category")
            f_year = gr.Dropdown(years, value=ALL, label="年份", elem_id="std-year")
            reset = gr.Button("重置", elem_id="std-reset")
        std_state = gr.State(standards_state(assistant))
        std_table = gr.Dataframe(value=standards_rows(assistant), headers=STANDARD_HEADERS, wrap=True,
                                 interactive=False, buttons=[], elem_id="standards")
        std_source = gr.HTML(standard_source_html(assistant, [], None), elem_id="standard-source")

        def on_filter(region, category, year):
            return (standards_rows(assistant, region, category, year)
                    or [["没有符合条件的标准"] + [""] * (len(STANDARD_HEADERS) - 1)],
                    standards_state(assistant, region, category, year),
                    standard_source_html(assistant, [], None))

        def on_reset():
            return (ALL, ALL, ALL) + on_filter(ALL, ALL, ALL)

        def on_select(rows, evt: gr.SelectData):
            return standard_source_html(assistant, rows, evt.index)

        # gradio finds the SelectData parameter by its type; the annotation is a string here
        on_select.__annotations__["evt"] = gr.SelectData

        filters = [f_region, f_category, f_year]
        for f in filters:
            f.change(on_filter, filters, [std_table, std_state, std_source], api_name=False)
        reset.click(on_reset, None, filters + [std_table, std_state, std_source], api_name=False)
        std_table.select(on_select, std_state, std_source, api_name=False)


def _chat_tab(gr, assistant) -> SimpleNamespace:
    """The 问答 tab's layout: the chat, the question box, the feedback row, the examples, the
    citations and the source text, and the table of indexed reports."""
    examples = examples_for(assistant)  # from the index served when the page is built
    with gr.Tab("问答"):
        with gr.Row():
            with gr.Column(scale=3):
                # only the per-message copy button (its label is translated, ui/i18n.py); 赞/踩 on answers
                chatbot = gr.Chatbot(label="对话", height=460, elem_id="chat", sanitize_html=True,
                                     buttons=["copy"], feedback_options=("Like", "Dislike"))
                with gr.Row():
                    box = gr.Textbox(placeholder=f"例如：{examples[0]}", label="问题", show_label=False,
                                     scale=5, elem_id="question", max_length=500)
                    send = gr.Button("提问", variant="primary", scale=1, elem_id="ask")
                with gr.Column(visible=False, elem_id="feedback-row") as feedback_row:
                    feedback_note = gr.Markdown("", elem_id="feedback-note")
                    with gr.Row():
                        comment = gr.Textbox(label="意见", show_label=False, placeholder="例如：这个标准是2021年的，今年已经调整",
                                             max_length=1000, scale=5, elem_id="feedback-comment")
                        comment_send = gr.Button("提交意见", scale=1, elem_id="feedback-send")
                gr.Markdown("**示例问题**（点击即提问）")
                with gr.Row(elem_classes="civilqa-examples"):
                    example_buttons = [gr.Button(q, size="sm", elem_classes="civilqa-example") for q in examples]
            with gr.Column(scale=2):
                picker = gr.Radio(choices=[], label=f"引用（{SOURCES_HINT}）", elem_id="citations")
                source = gr.HTML(f"<div class='civilqa-meta'>{SOURCES_HINT}。</div>", elem_id="source")
        gr.Markdown("### 收录的报告")
        gr.Dataframe(value=lambda: documents_table(assistant), headers=DOCUMENT_HEADERS, interactive=False,
                     wrap=True, buttons=[], column_widths=["320px", "110px", "64px", "220px"],
                     elem_id="documents")  # callable: current on every page load
    return SimpleNamespace(chatbot=chatbot, box=box, send=send, feedback_row=feedback_row, feedback_note=feedback_note,
                           comment=comment, comment_send=comment_send, example_buttons=example_buttons, picker=picker,
                           source=source, examples=examples)


def _wire_chat(gr, assistant, store, ui: SimpleNamespace, citations_state, turns_state, vote_state,
               staff_table, staff_filter) -> None:
    """The 问答 tab's events: ask (button, Enter, an example), pick a citation, 👍/👎 and a comment."""

    def ask_once(message, history):
        history, cits, choices = chat_turn(assistant, message, history)
        first = render_source(assistant.document_text(cits[0]["source"]), cits[0]) if cits else \
            "<div class='civilqa-meta'>本次回答没有引用。</div>"
        return history, cits, gr.update(choices=choices, value=choices[0] if choices else None), first, ""

    # LLM answerer: the answer streams in, the checked one replaces it
    on_ask = streaming_handler(assistant) if streams(assistant) else ask_once

    def on_pick(label, cits):
        for c in cits or []:
            if citation_label(c) == label:
                return render_source(assistant.document_text(c["source"]), c)
        return gr.update()

    outputs = [ui.chatbot, citations_state, ui.picker, ui.source, ui.box]
    remember = (record_turn, [ui.chatbot, citations_state, turns_state], turns_state)
    ui.send.click(on_ask, [ui.box, ui.chatbot], outputs, api_name="ask").then(*remember, api_name=False)
    ui.box.submit(on_ask, [ui.box, ui.chatbot], outputs, api_name=False).then(*remember, api_name=False)
    for button, question in zip(ui.example_buttons, ui.examples):
        button.click(lambda q=question: q, None, ui.box, api_name=False).then(
            on_ask, [ui.box, ui.chatbot], outputs, api_name=False).then(*remember, api_name=False)
    ui.picker.change(on_pick, [ui.picker, citations_state], ui.source, api_name=False)

    def on_like(turns, evt: gr.LikeData):
        vote_id, note = vote(store, turns, evt.index, evt.liked)
        return vote_id, gr.update(visible=vote_id is not None or bool(note)), note, ""

    def on_comment(vote_id, text, which):
        return add_comment(store, vote_id, text), staff_rows(store, which)

    on_like.__annotations__["evt"] = gr.LikeData
    ui.chatbot.like(on_like, turns_state, [vote_state, ui.feedback_row, ui.feedback_note, ui.comment], api_name=False)
    for trigger in (ui.comment_send.click, ui.comment.submit):
        trigger(on_comment, [vote_state, ui.comment, staff_filter], [ui.feedback_note, staff_table], api_name=False)


def build(assistant, feedback=None):
    """The page. ``feedback``: the ``FeedbackStore`` for 👍/👎 (default: beside the index)."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    # Gradio's queue rebuilds a pandas summary of its last 10000 events after every request
    # (~19 ms at 10000 here, more than a third of an answer): keep fewer, summarise rarely
    os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "2000")
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "200")
    import gradio as gr

    store = feedback if feedback is not None else FeedbackStore(default_path(getattr(assistant, "index_dir", None)))
    exports = DraftExports()

    with gr.Blocks(title="民政政策问答助手") as demo:
        gr.Markdown("## 民政政策问答助手\n根据所收录的民政工作报告回答问题，每个数字都标注来源；"
                    "资料中没有的内容会直接说明“资料中没有”。")
        citations_state = gr.State([])
        ui = _chat_tab(gr, assistant)
        _standards_tab(assistant)  # 补贴标准速查
        build_draft_tab(assistant)  # 起草答复 (ui/draft_tab.py)
        build_kb_tab(assistant)  # 知识库管理 (ui/kb_tab.py)
        staff_table, staff_filter = build_feedback_tab(store, exports)  # 反馈记录 (ui/feedback_tab.py)
        turns_state = gr.State({})  # message index -> the question, answer and citations shown
        vote_state = gr.State(None)
        _wire_chat(gr, assistant, store, ui, citations_state, turns_state, vote_state, staff_table, staff_filter)
    return demo


# -- serving -----------------------------------------------------------------------------
# Answers computed at once, per event handler (the 提问 button has its own slots, so filtering the
# standards table or clicking a citation never waits behind answers). An answer is CPU work under
# the GIL and the embedder serialises its calls: 1 or 4 clients both reach ~24 answers/s here
# (docs/operations.md), so more slots would only queue inside the thread pool instead of in
# Gradio's bounded queue; 4 lets short requests interleave with long ones.
CONCURRENCY_LIMIT = 4
# Requests allowed to wait beyond those: at ~24 answers/s a full queue drains in under 3 s.
# One more is refused at once instead of waiting ever longer: an API client gets HTTP 503
# {"detail": "Queue is full. Max size is 64 ..."}; the page shows Gradio's notice "This
# application is currently busy. Please try again." and the person asks again. Memory stays
# bounded whatever the number of clients.
MAX_QUEUE = 64
# Sessions whose state the server keeps (one per open page, and one per API call). Gradio copies
# the page's component configuration into each (~115 KiB with the four tabs, the tables
# included): with its default of 10000 a busy server (50 users) grew ~1 MiB/s for the 3 minutes
# measured and would level off only ~1 GiB up; with 1000 it levels off ~120 MiB above start. The oldest session beyond this is dropped: a page left open that
# long keeps working, only its citation list is forgotten until the next question.
MAX_SESSIONS = 1000
# Gradio accepts uploads on /gradio_api/upload for every app: nothing over ``MAX_UPLOAD_BYTES``.


def page_js() -> str:
    """The page's one script (Gradio takes one function): the citation links (ui.render) and the
    upload-size check (ui.kb_tab), each run once on load."""
    return f"() => {{ ({PAGE_JS.strip()})(); ({UPLOAD_JS.strip()})(); }}"


def launch(assistant, host: str = "127.0.0.1", port: int = 7860, *, auth=None,
           concurrency_limit: int = CONCURRENCY_LIMIT, max_queue: int = MAX_QUEUE, **kwargs):
    """Serve the app. Binds ``host`` (localhost unless told otherwise); ``auth`` is a list of
    (user, password) pairs (ui/auth.py: checked with a lock-out after repeated failures) or None.
    No file on disk is served: ``allowed_paths`` is empty and the index, the uploaded-files library
    and the seed folders are blocked outright."""
    if isinstance(auth, (list, tuple)) and auth:
        auth = Authenticator(list(auth))
    from starlette.middleware import Middleware

    # bounded request bodies, nothing but the login page before login (ui/guard.py)
    app_kwargs = dict(kwargs.pop("app_kwargs", None) or {})
    app_kwargs["middleware"] = [Middleware(Guard), *app_kwargs.get("middleware", [])]
    demo = build(assistant)
    demo.queue(default_concurrency_limit=concurrency_limit, max_size=max_queue)

    index_dir = getattr(assistant, "index_dir", None)
    blocked = [str(p) for p in (index_dir, library_dir(index_dir), default_seeds_dir()) if p]

    demo.launch(server_name=host, server_port=port, css=CSS, js=page_js(), i18n=translations(),
                allowed_paths=[], blocked_paths=blocked,
                share=False, ssr_mode=False, show_error=False, footer_links=[], auth=auth,
                auth_message="民政政策问答助手：请输入账号和密码。" if auth else None,
                max_file_size=MAX_UPLOAD_BYTES, state_session_capacity=MAX_SESSIONS, app_kwargs=app_kwargs,
                **kwargs)
    return demo

"""Feedback in the app: 👍/👎 on every answer with an optional comment, and the staff tab 反馈记录.

The votes go to the ``FeedbackStore`` (assistant/feedback.py, SQLite in the data directory).
What is stored is the question and answer as shown, the answer's citations and the time; nothing
about the person. The handlers are plain functions (``record_turn``, ``vote``, ``add_comment``,
``staff_rows``, ``export_feedback``) tested directly; ``build_feedback_tab`` wires the staff tab.
"""
from __future__ import annotations

import html
from typing import Any

from assistant.feedback import MAX_COMMENT_CHARS, RATINGS, FeedbackStore
from ingest.errors import CivilQAError

from .render import plain_answer

STAFF_HEADERS = ["编号", "时间", "评价", "意见", "问题", "回答"]
FILTERS = {"只看 👎（认为回答有误）": "down", "只看 👍": "up", "全部": None}
ASK_COMMENT = "谢谢您的反馈。可以写下哪里不对或缺了什么（选填，最多 {n} 字），再点“提交意见”。"


def record_turn(history: list[dict[str, Any]] | None, citations: list[dict[str, Any]] | None,
                turns: dict[int, dict[str, Any]] | None) -> dict[int, dict[str, Any]]:
    """Remember the latest answer (by its message index) so a later 👍/👎 stores what was shown."""
    turns = dict(turns or {})
    history = list(history or [])
    if len(history) >= 2 and history[-1].get("role") == "assistant":
        idx = len(history) - 1
        turns[idx] = {"question": html.unescape(str(history[-2].get("content") or "")),
                      "answer": plain_answer(history[-1].get("content")), "citations": list(citations or [])}
        while len(turns) > 100:  # a long chat keeps its last 100 answers rateable
            turns.pop(min(turns))
    return turns


def _index(value: Any) -> int | None:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return value if isinstance(value, int) else None


def vote(store: FeedbackStore, turns: dict[int, dict[str, Any]] | None, index: Any, liked: Any
         ) -> tuple[int | None, str]:
    """Store a 👍 (liked True) or 👎 for the answer at ``index``: (vote id, message for the person)."""
    if liked is None or liked == "":
        return None, "已取消评价。"
    rating = "up" if liked is True or str(liked).lower() in ("like", "true", "up") else "down"
    turn = (turns or {}).get(_index(index)) if _index(index) is not None else None
    if turn is None:
        return None, "⚠️ 找不到这条回答，请对最新的回答评价。"
    try:
        f = store.add(rating, question=turn["question"], answer=turn["answer"], citations=turn["citations"])
    except CivilQAError as exc:
        return None, html.escape(f"⚠️ {exc}", quote=False)
    return f.id, ASK_COMMENT.format(n=MAX_COMMENT_CHARS)


def add_comment(store: FeedbackStore, vote_id: int | None, comment: Any) -> str:
    if vote_id is None:
        return "⚠️ 请先点答案下方的 👍 或 👎。"
    try:
        store.set_comment(vote_id, comment)
    except CivilQAError as exc:
        return html.escape(f"⚠️ {exc}", quote=False)
    return "已记录您的意见，谢谢！工作人员会据此核对。"


def staff_rows(store: FeedbackStore, which: Any = None) -> list[list[Any]]:
    rating = FILTERS.get(which, "down") if which is not None else "down"
    try:
        items = store.list(rating, limit=500)
    except CivilQAError:
        return []
    return [[f.id, f.created.replace("T", " ")[:19], RATINGS[f.rating], f.comment, f.question, f.answer]
            for f in items]


def export_feedback(store: FeedbackStore, exports, which: Any, fmt: str) -> tuple[str | None, str]:
    """Write the listed votes as .csv or .xlsx: (file path or None, status)."""
    rating = FILTERS.get(which, "down")
    try:
        path, n = store.export(exports.new_path(f".{fmt}", name="反馈记录"), rating)
    except CivilQAError as exc:
        return None, html.escape(f"⚠️ {exc}", quote=False)
    return str(path), f"已导出 {n} 条。"


def build_feedback_tab(store: FeedbackStore, exports):
    """The 反馈记录 tab for staff (call inside ``gr.Blocks``)."""
    import gradio as gr

    with gr.Tab("反馈记录", elem_id="feedback-tab"):
        gr.Markdown(f"群众对回答的评价。默认只列出 👎（认为回答有误或不全）的回答，最新的在前。"
                    f"数据保存在本机：`{html.escape(str(store.path))}`；只保存问题、回答、引用、评价、意见和时间。")
        with gr.Row():
            which = gr.Dropdown(list(FILTERS), value=next(iter(FILTERS)), label="显示", elem_id="feedback-filter")
            refresh = gr.Button("刷新", elem_id="feedback-refresh")
            to_csv = gr.Button("导出 CSV", elem_id="feedback-export-csv")
            to_xlsx = gr.Button("导出 Excel（.xlsx）", elem_id="feedback-export-xlsx")
        status = gr.Markdown("", elem_id="feedback-export-status")
        download = gr.File(label="下载", interactive=False, elem_id="feedback-file",
                           elem_classes="civilqa-download")  # shown once it holds a file (ui/render.py)
        table = gr.Dataframe(value=lambda: staff_rows(store), headers=STAFF_HEADERS, interactive=False, wrap=True,
                             column_widths=["6%", "14%", "6%", "20%", "20%", "34%"], buttons=[],
                             elem_id="feedback-table")
        refresh.click(lambda w: staff_rows(store, w), which, table, api_name=False)
        which.change(lambda w: staff_rows(store, w), which, table, api_name=False)
        to_csv.click(lambda w: export_feedback(store, exports, w, "csv"), which, [download, status], api_name=False)
        to_xlsx.click(lambda w: export_feedback(store, exports, w, "xlsx"), which, [download, status], api_name=False)
    return table, which

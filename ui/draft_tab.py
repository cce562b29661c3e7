"""Tab 起草答复: paste a citizen's message, get an editable reply draft with its sources,
export it to Word (.docx) or Markdown.

The handlers are plain functions (``draft_message``, ``export_draft``) tested
directly; ``build_draft_tab`` only wires them to components. Exported files go to
a private temporary folder owned by the app (``DraftExports``): one fresh
sub-folder per export, the oldest pruned, the whole folder removed at exit.
Gradio serves a file only when a handler returns it.

Everything user- or document-supplied shown as Markdown is HTML-escaped.
"""
from __future__ import annotations

import atexit
import html
import shutil
import tempfile
import threading
from collections import deque
from pathlib import Path
from typing import Any

from assistant.drafting import (
    MAX_MESSAGE_CHARS,
    MAX_QUESTIONS,
    changed_figures,
    draft_reply,
    export,
)
from assistant.examples import examples_for
from assistant.present import citation_details, citation_title
from assistant.types import location_label
from ingest.errors import CivilQAError
from ingest.safe_text import replace_surrogates

SOURCE_HEADERS = ["编号", "报告", "地区", "年份", "位置", "原文", "核对用（文件、字位置）"]
SOURCE_WIDTHS = ["6%", "20%", "8%", "7%", "8%", "36%", "15%"]
EXPORT_NAME = "答复草稿"
FORMATS = {"docx": ".docx", "md": ".md"}


class DraftExports:
    """The app's folder for exported drafts: a fresh sub-folder per export, at most ``keep`` kept."""

    def __init__(self, root: str | Path | None = None, keep: int = 20) -> None:
        if root is None:
            root = tempfile.mkdtemp(prefix="civilqa-drafts-")
            atexit.register(shutil.rmtree, root, ignore_errors=True)
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.keep = max(1, keep)
        self._folders: deque[Path] = deque()
        self._lock = threading.Lock()

    def new_path(self, suffix: str, name: str = EXPORT_NAME) -> Path:
        with self._lock:
            folder = Path(tempfile.mkdtemp(dir=self.root))
            self._folders.append(folder)
            while len(self._folders) > self.keep:
                shutil.rmtree(self._folders.popleft(), ignore_errors=True)
        return folder / f"{name}{suffix}"


def source_rows(draft_dict: dict[str, Any] | None) -> list[list[Any]]:
    if not draft_dict:
        return []

    return [[f"[{c['marker']}]", citation_title(c), c["city"] or "", c["year"] or "", location_label(c),
             " ".join(str(c["text"]).split()), citation_details(c)] for c in draft_dict["sources"]]


def _status(d: dict[str, Any]) -> str:
    points = d["points"]
    answered = sum(p["answerable"] for p in points)
    lines = [(f"共 {len(points)} 个问题：{answered} 个有资料依据，{len(points) - answered} 个资料未涉及"
             f"（已写成“建议咨询当地民政部门”）。每个数字都来自下方列出的原文，请核对后再发出。")]
    for p in points:
        note = ""
        if p["follows"]:
            note = f"接上一问，按“{p['asked']}”作答"
        elif p["carried_city"]:
            note = f"未写地区，按留言前文所说的{p['carried_city']}作答"
        if note:
            lines.append(f"- 第{p['number']}问“{p['question']}”：{note}")
    if d["context"]:
        lines.append("- 以下句子作为背景，未单独作答：" + "；".join(f"“{c}”" for c in d["context"]))
    return html.escape("\n".join(lines), quote=False)


def draft_message(assistant, message: Any) -> tuple[str, list[list[Any]], dict[str, Any] | None, str]:
    """Draft a reply: (editable text, sources rows, state for export, status). Errors become the status."""
    message = replace_surrogates(message) if isinstance(message, str) else message  # unencodable
    try:
        d = draft_reply(assistant, message).to_dict()
    except CivilQAError as exc:
        return "", [], None, html.escape(f"⚠️ {exc}", quote=False)
    return d["body"], source_rows(d), d, _status(d)


def export_draft(exports: DraftExports, state: dict[str, Any] | None, body: Any,
                 fmt: str) -> tuple[str | None, str]:
    """Write the (possibly edited) draft as .docx or .md: (file path or None, status)."""
    if not state:
        return None, "⚠️ 请先点击“起草”生成答复草稿，再导出。"
    if fmt not in FORMATS:
        return None, html.escape(f"⚠️ 不支持的导出格式：{fmt}（支持 {'、'.join(FORMATS)}）", quote=False)
    text = "" if body is None else str(body)
    try:
        path = export(exports.new_path(FORMATS[fmt]), state["title"], text, state["sources_heading"],
                      state["source_lines"])
    except CivilQAError as exc:
        return None, html.escape(f"⚠️ {exc}", quote=False)
    status = f"已导出 {path.name}（{len(state['source_lines'])} 条政策依据）。"
    changed = changed_figures(state["body"], text)
    if changed:
        status += (f"\n\n⚠️ 修改后的正文中有草稿里没有的数字：{'、'.join(changed)}。"
                   f"这些数字未经资料核实，请确认后再发出。")
    return str(path), html.escape(status, quote=False)


def build_draft_tab(assistant, exports: DraftExports | None = None):
    """The 起草答复 tab; call inside ``gr.Blocks`` next to the other tabs."""
    import gradio as gr

    exports = exports or DraftExports()
    with gr.Tab("起草答复", elem_id="draft-tab"):
        gr.Markdown(f"粘贴群众留言（可含多个问题），生成带政策依据的正式答复草稿。"
                    f"每个问题都经过与问答相同的检索和核实；资料未涉及的部分写明“建议咨询当地民政部门”。"
                    f"留言最多 {MAX_MESSAGE_CHARS} 字、{MAX_QUESTIONS} 个问题。")
        with gr.Row():
            with gr.Column(scale=2):
                message = gr.Textbox(label="群众留言", lines=10, elem_id="draft-input",
                                     placeholder="例如：您好！想问一下" + "另外".join(examples_for(assistant)[:2]) + "谢谢！")
                button = gr.Button("起草", variant="primary", elem_id="draft-button")
                status = gr.Markdown("", elem_id="draft-status")
            with gr.Column(scale=3):
                output = gr.Textbox(label="答复草稿（可直接修改，导出时以修改后的文字为准）", lines=20,
                                    interactive=True, elem_id="draft-output")
                with gr.Row():
                    to_docx = gr.Button("导出 Word（.docx）", elem_id="draft-export-docx")
                    to_md = gr.Button("导出 Markdown（.md）", elem_id="draft-export-md")
                # hidden by the stylesheet until it holds a file (ui/render.py): an empty file box reads as
                # an upload box; the /draft API still returns None or the file's path
                download = gr.File(label="下载", interactive=False, elem_id="draft-file",
                                   elem_classes="civilqa-download")
        gr.Markdown("### 政策依据（引用的原文）")
        sources = gr.Dataframe(value=[], headers=SOURCE_HEADERS, interactive=False, wrap=True,
                               column_widths=SOURCE_WIDTHS, buttons=[], elem_id="draft-sources")
        state = gr.State(None)

        def on_draft(text):
            body, rows, d, note = draft_message(assistant, text)
            return body, rows, d, note, None

        def on_docx(d, body):
            return export_draft(exports, d, body, "docx")

        def on_md(d, body):
            return export_draft(exports, d, body, "md")

        button.click(on_draft, [message], [output, sources, state, status, download], api_name="draft")
        to_docx.click(on_docx, [state, output], [download, status], api_name="draft_docx")
        to_md.click(on_md, [state, output], [download, status], api_name="draft_md")
    return exports

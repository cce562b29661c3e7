"""The 知识库管理 tab: upload, document list with editable region/year, delete, re-index.

Uploaded files go to the managed library (``CIVILQA_LIBRARY_DIR``, default
``.civilqa/library`` beside the index; see ``assistant.kb``), never into ``seeds/``.
Types and sizes are checked before anything is parsed; a file that cannot be
read is refused by name and does not enter the library. Every change writes a
new index generation (atomically, under the ingest lock: a second change at
the same time is refused with 另一个入库任务正在进行) and then the running
``Assistant`` is reloaded, so the next question is answered from the new index.

The handlers are the pure functions ``kb_rows``, ``kb_upload``, ``kb_save``,
``kb_delete``, ``kb_reindex`` (tested directly); ``build_kb_tab`` wires them to
components with the elem_ids ``kb-upload``, ``kb-table``, ``kb-save``, ``kb-doc``,
``kb-delete``, ``kb-reindex``, ``kb-status``.
"""
from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any, Callable

from assistant.kb import (
    MAX_UPLOAD_BYTES,
    add_files,
    delete_documents,
    library_dir,
    list_sources,
    normalize_city,
    normalize_year,
    reindex,
    set_metadata,
    too_large,
)
from ingest.errors import CivilQAError, InputError
from ingest.suffixes import SUPPORTED_LABEL

HEADERS = ["文件", "格式", "地区", "年份", "片段数", "页/段", "标题", "位置"]

# The page refuses a file over the upload limit before Gradio sends it (Gradio's own check would
# show its English "File(s) exceed the maximum allowed size"): the same Chinese message as the
# command line (assistant.kb.too_large), in #kb-upload-refused under the upload box. Capture-phase
# listeners run before Gradio's on the file input and on a drop; an oversized choice is dropped.
UPLOAD_JS = r"""
() => {
  const LIMIT = %(limit)d, MESSAGE = %(message)s;
  function note() {
    let el = document.getElementById('kb-upload-refused');
    const box = document.getElementById('kb-upload');
    if (!el && box) {
      el = document.createElement('div');
      el.id = 'kb-upload-refused'; el.setAttribute('role', 'alert'); el.className = 'civilqa-refused';
      box.after(el);
    }
    return el;
  }
  function screen(files, ev) {
    const all = [...(files || [])], big = all.filter((f) => f.size > LIMIT);
    const el = note();
    if (!all.length) return;  // the input emptied below: nothing chosen, nothing to say
    if (!big.length) { if (el) el.textContent = ''; return; }
    ev.preventDefault(); ev.stopImmediatePropagation();
    if (el) el.textContent = '错误：' + big.map((f) => MESSAGE.replace('{name}', f.name).replace('{size}', f.size)).join('；');
    if (ev.type === 'change' && ev.target.type === 'file') ev.target.value = '';
  }
  for (const type of ['input', 'change']) {
    document.addEventListener(type, (ev) => {
      const t = ev.target;
      if (t && t.matches && t.matches('#kb-upload input[type=file]')) screen(t.files, ev);
    }, true);
  }
  document.addEventListener('drop', (ev) => {
    const t = ev.target;
    if (t && t.closest && t.closest('#kb-upload')) screen(ev.dataTransfer && ev.dataTransfer.files, ev);
  }, true);
}
""" % {"limit": MAX_UPLOAD_BYTES, "message": json.dumps(too_large("{name}", "{size}"), ensure_ascii=False)}
CITY_COL, YEAR_COL = 2, 3
Progress = Callable[[str, int, int], None]


def _library(assistant, library: Path | None) -> Path:
    return Path(library) if library else library_dir(assistant.index_dir)


def kb_rows(assistant, library: Path | None = None) -> list[list[Any]]:
    """The document list: one row per indexed file (read from the index manifest)."""
    try:
        rows = list_sources(assistant.index_dir, _library(assistant, library))
    except CivilQAError:
        return []
    out = []
    for r in rows:
        extent = f"{r['pages']}页" if r.get("pages") else (f"{r['paragraphs']}段" if r.get("paragraphs") else "")
        where = "上传目录" if r["in_library"] else (str(Path(r["path"]).parent.name) + "/" if r["path"] else "")
        out.append([r["source"], r["format"], r["city"] or "", r["year"] or "", r["chunks"], extent,
                    r["title"] or "", where])
    return out


def _names(rows: list[list[Any]]) -> list[str]:
    return [r[0] for r in rows]


def _ok(message: str) -> str:
    return f"<b>完成：</b>{html.escape(message)}"


def _fail(exc: CivilQAError) -> str:
    return "<b>错误：</b>" + html.escape(str(exc)).replace("\n", "<br>")


def _summary(report, changes: bool = True) -> str:
    parts = []
    for label, names in (("新增", report.added), ("更新", report.changed), ("删除", report.removed)):
        if names:
            parts.append(f"{label} {'、'.join(names)}")
    head = ("；".join(parts) or "没有文件变化") + "。" if changes else ""
    return (f"{head}索引现有 {len(report.documents)} 个文件、{report.chunks} 个片段"
            f"（新向量化 {report.embedded}，复用 {report.reused}），用时 {report.seconds:.1f} 秒。")


def _finish(assistant, message: str, errors: list[str] | None = None,
            library: Path | None = None) -> tuple[str, list[list[Any]]]:
    status = _ok(message)
    try:
        assistant.reload()
    except CivilQAError as exc:  # the change is on disk; the app could not load it
        status += "<br>" + _fail(exc)
    for e in errors or []:
        status += "<br><b>跳过：</b>" + html.escape(e)
    return status, kb_rows(assistant, library)


def kb_upload(assistant, files: Any, progress: Progress | None = None,
              library: Path | None = None) -> tuple[str, list[list[Any]]]:
    """Add uploaded files (paths as gradio passes them; the file name is the original one)."""
    paths = [files] if isinstance(files, (str, Path)) else list(files or [])
    paths = [getattr(p, "name", p) for p in paths]
    if not paths:
        return "请选择要上传的文件。", kb_rows(assistant, library)
    try:
        report = add_files(assistant.index_dir, [(Path(p), Path(p).name) for p in paths], assistant.embedder,
                           library=_library(assistant, library), progress=progress)
    except CivilQAError as exc:
        return _fail(exc), kb_rows(assistant, library)
    finally:
        discard_uploads(paths)
    return _finish(assistant, _summary(report), report.errors, library)


def gradio_temp_dir() -> Path:
    import os
    import tempfile

    return Path(os.environ.get("GRADIO_TEMP_DIR") or Path(tempfile.gettempdir()) / "gradio").resolve()


def discard_uploads(paths: list[Any]) -> None:
    """Delete uploaded files from Gradio's temp folder once they are handled (copied into the
    library or refused): nothing of an upload stays there. Paths elsewhere are never touched."""
    temp = gradio_temp_dir()
    for p in paths:
        try:
            path = Path(p).resolve()
            path.relative_to(temp)
        except (ValueError, OSError, TypeError):
            continue
        path.unlink(missing_ok=True)
        try:
            path.parent.rmdir()  # Gradio's per-upload folder, if now empty
        except OSError:
            pass


def kb_save(assistant, table: Any, progress: Progress | None = None,
            library: Path | None = None) -> tuple[str, list[list[Any]]]:
    """Save the region/year cells that were edited in the table, then re-index once."""
    current = {r[0]: r for r in kb_rows(assistant, library)}
    if isinstance(table, dict):  # Gradio's {"headers": [...], "data": [...]} form
        table = table.get("data")
    rows = table.values.tolist() if hasattr(table, "values") else table
    try:
        if rows is not None and not isinstance(rows, (list, tuple)):
            raise InputError(f"表格数据格式不对：应为行的列表（table must be a list of rows, not {type(rows).__name__}）")
        edits = []
        for n, row in enumerate(rows or [], 1):
            if not isinstance(row, (list, tuple)) or len(row) <= YEAR_COL or not isinstance(row[0], str):
                raise InputError(f"表格第 {n} 行格式不对：应为 {len(HEADERS)} 列（{'、'.join(HEADERS)}）"
                                 f"（row {n} must have {len(HEADERS)} columns）")
            if row[0] not in current:
                continue
            old = current[row[0]]
            city, year = normalize_city(row[CITY_COL]), normalize_year(row[YEAR_COL])
            if (city or "") != (old[CITY_COL] or "") or (year or "") != (old[YEAR_COL] or ""):
                edits.append((row[0], city, year))
        if not edits:
            return "没有修改需要保存。", list(current.values())
        report = set_metadata(assistant.index_dir, edits, assistant.embedder, progress=progress)
    except CivilQAError as exc:
        return _fail(exc), kb_rows(assistant, library)
    saved = "、".join(f"{n}（{c or '未知地区'}，{y or '未知年份'}）" for n, c, y in edits)
    return _finish(assistant, f"已保存 {saved}。" + _summary(report), report.errors, library)


def kb_delete(assistant, name: Any, progress: Progress | None = None,
              library: Path | None = None) -> tuple[str, list[list[Any]]]:
    if not name:
        return "请先选择要删除的文件。", kb_rows(assistant, library)
    try:
        report, deleted = delete_documents(assistant.index_dir, [str(name)], library=_library(assistant, library),
                                           progress=progress)
    except CivilQAError as exc:
        return _fail(exc), kb_rows(assistant, library)
    note = "（已同时删除上传目录中的文件）" if deleted else "（原文件不在上传目录，保留在磁盘上）"
    return _finish(assistant, f"已删除 {name}{note}。" + _summary(report, changes=False), None, library)


def kb_reindex(assistant, progress: Progress | None = None,
               library: Path | None = None) -> tuple[str, list[list[Any]]]:
    try:
        report = reindex(assistant.index_dir, assistant.embedder, progress=progress)
    except CivilQAError as exc:
        return _fail(exc), kb_rows(assistant, library)
    return _finish(assistant, "重新索引完成：" + _summary(report), report.errors, library)


def _gr_progress(progress) -> Progress:
    def update(stage: str, done: int, total: int) -> None:
        progress((done, max(total, 1)), desc=stage)

    return update


def build_kb_tab(assistant, library: Path | None = None) -> None:
    """The 知识库管理 tab; call inside ``gr.Tabs()``/``gr.Blocks()``."""
    import gradio as gr

    lib = _library(assistant, library)
    with gr.Tab("知识库管理"):
        gr.Markdown(
            f"上传民政工作报告（{SUPPORTED_LABEL}，每个文件不超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB；"
            "PDF 须有文字层，扫描件请先做文字识别）。上传的文件保存在上传目录，不会写入 seeds/。"
            "表格中的“地区”“年份”可以直接修改，点“保存修改”后重新索引。")
        # no file_types filter: gradio would refuse other types with an English message before
        # kb_upload could explain in Chinese (kb_upload checks type and size before parsing)
        upload = gr.File(label=f"上传文件（{SUPPORTED_LABEL}）", file_count="multiple", type="filepath",
                         elem_id="kb-upload")
        status = gr.HTML("", elem_id="kb-status")
        first = kb_rows(assistant, lib)
        table = gr.Dataframe(value=first, headers=HEADERS, type="array", interactive=True, buttons=[],
                             static_columns=[0, 1, 4, 5, 6, 7], elem_id="kb-table", label="收录的文件")
        with gr.Row():
            save = gr.Button("保存修改", elem_id="kb-save")
            doc = gr.Dropdown(choices=_names(first), value=None, label="选择文件", elem_id="kb-doc",
                              scale=2)
            delete = gr.Button("删除", variant="stop", elem_id="kb-delete")
            reindex = gr.Button("重新索引", elem_id="kb-reindex")

        def out(status_html: str, rows: list[list[Any]]):
            return status_html, rows, gr.update(choices=_names(rows), value=None), None

        def on_upload(files, progress=gr.Progress()):
            return out(*kb_upload(assistant, files, _gr_progress(progress), lib))

        def on_save(rows, progress=gr.Progress()):
            return out(*kb_save(assistant, rows, _gr_progress(progress), lib))

        def on_delete(name, progress=gr.Progress()):
            return out(*kb_delete(assistant, name, _gr_progress(progress), lib))

        def on_reindex(progress=gr.Progress()):
            return out(*kb_reindex(assistant, _gr_progress(progress), lib))

        def on_select(rows, evt: gr.SelectData):
            index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
            return rows[index][0] if isinstance(index, int) and 0 <= index < len(rows) else gr.update()

        on_select.__annotations__["evt"] = gr.SelectData  # found by type; annotations are strings here

        outputs = [status, table, doc, upload]
        # one change at a time in this app: the others wait in the queue (one concurrency group)
        one = {"concurrency_limit": 1, "concurrency_id": "kb-write"}
        upload.upload(on_upload, upload, outputs, api_name="kb_upload", **one)
        save.click(on_save, table, outputs, api_name="kb_save", **one)
        delete.click(on_delete, doc, outputs, api_name="kb_delete", **one)
        reindex.click(on_reindex, None, outputs, api_name="kb_reindex", **one)
        table.select(on_select, table, doc, api_name=False)

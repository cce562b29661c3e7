"""The reply exported as ``.docx`` (python-docx, 宋体) or ``.md``, atomically; a bad path or an
empty body writes nothing."""
from __future__ import annotations

from pathlib import Path

from ingest.atomic import write_atomically
from ingest.errors import InputError

EXPORT_SUFFIXES = (".docx", ".md")


def _body_paragraphs(body: str) -> list[str]:
    return [ln.strip() for ln in body.replace("\r\n", "\n").split("\n") if ln.strip()]


def render_markdown(title: str, body: str, sources_heading: str, source_lines: tuple[str, ...] | list[str]) -> str:
    parts = [f"# {title}", *_body_paragraphs(body)]
    if source_lines:
        parts.append(f"## {sources_heading}")
        parts.append("\n".join(f"- {line}" for line in source_lines))
    return "\n\n".join(parts) + "\n"


def _write_new(path: Path, text: str) -> None:
    with open(path, "x", encoding="utf-8", newline="\n") as f:
        f.write(text)


def _write_docx(path: Path, title: str, body: str, sources_heading: str, source_lines) -> None:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    for style_name, size in (("Normal", 12), ("Title", 20), ("Heading 1", 16)):
        style = doc.styles[style_name]
        style.font.size = Pt(size)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), "宋体")
    doc.add_heading(title, level=0)
    for para in _body_paragraphs(body):
        doc.add_paragraph(para)
    if source_lines:
        doc.add_heading(sources_heading, level=1)
        for line in source_lines:
            doc.add_paragraph(line)
    doc.save(str(path))


def check_export_path(path: str | Path, suffixes: tuple[str, ...] = EXPORT_SUFFIXES) -> Path:
    """The output path, or an ``InputError`` for a wrong suffix or a missing folder (nothing written)."""
    p = Path(path).expanduser()
    if p.suffix.lower() not in suffixes:
        raise InputError(f"不支持的导出格式：{p.name}（支持 {'、'.join(suffixes)}）"
                         f"（unsupported output type {p.suffix!r}）")
    if p.is_dir():
        raise InputError(f"导出路径是一个目录：{p}（output path is a directory）")
    if not p.parent.is_dir():
        raise InputError(f"导出目录不存在：{p.parent}（output folder does not exist）")
    return p


def export(path: str | Path, title: str, body: str, sources_heading: str,
           source_lines: tuple[str, ...] | list[str]) -> Path:
    """Write the reply to ``path`` (``.docx`` via python-docx, or ``.md``), atomically."""
    p = check_export_path(path)
    if not body or not body.strip():
        raise InputError("答复正文为空，未导出（empty reply, nothing exported）")
    try:
        if p.suffix.lower() == ".md":
            md = render_markdown(title, body, sources_heading, source_lines)
            write_atomically(p, lambda t: _write_new(t, md))
        else:
            write_atomically(p, lambda t: _write_docx(t, title, body, sources_heading, source_lines))
    except OSError as exc:
        raise InputError(f"无法写入 {p}：{exc.strerror or exc}（cannot write output）") from None
    return p

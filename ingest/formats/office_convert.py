"""Word 97 ``.doc`` and WPS ``.wps``: converted to ``.docx`` by LibreOffice, then read as one.

The conversion runs ``soffice --headless --convert-to docx`` in a child process with
its own throw-away user profile (two conversions never share one, and nothing is
left in the home directory) in a temporary directory; it is killed after
``default_timeout()`` seconds (``CIVILQA_CONVERT_TIMEOUT``, default 120) and its memory
is capped. The .docx it writes goes through ``docx_format.extract_docx`` (zip checks
included), so paragraphs, headings and tables are read as for any Word file and
citations say 第N段. Without LibreOffice the error names the package to install
(Debian ``libreoffice-writer-nogui``; ``make install`` installs it as root).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import IngestError
from ..settings import settings
from .base import Extracted
from .docx_format import extract_docx

DEFAULT_TIMEOUT_S = 120.0
MAX_CONVERTER_MEMORY = 4 * 1024 * 1024 * 1024
PACKAGE = "libreoffice-writer-nogui"


def default_timeout() -> float:
    seconds = settings().convert_timeout  # CIVILQA_CONVERT_TIMEOUT
    return DEFAULT_TIMEOUT_S if seconds is None else seconds


def converter() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _limit_memory() -> None:  # runs in the child between fork and exec
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MAX_CONVERTER_MEMORY, MAX_CONVERTER_MEMORY))
    except (ImportError, ValueError, OSError):
        pass


def convert_to_docx(path: Path, out_dir: Path, timeout: float | None = None) -> Path:
    """Convert ``path`` with LibreOffice into ``out_dir``; returns the .docx written."""
    name = path.name
    exe = converter()
    if exe is None:
        raise IngestError(f"无法读取 {path.suffix.lower()} 文件：{name}，需要 LibreOffice 转换。请安装："
                          f"apt-get install {PACKAGE}（或以 root 运行 make install），或将其另存为 .docx 后导入"
                          f"（LibreOffice not found: install {PACKAGE}）")
    timeout = default_timeout() if timeout is None else timeout
    # a copy with an ASCII name: LibreOffice names its output after its input
    src = out_dir / f"source{path.suffix.lower()}"
    shutil.copyfile(path, src)
    profile = out_dir / "profile"
    cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck",
           "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir), str(src)]
    # its own session: at the time limit the whole group (soffice forks soffice.bin) is killed
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            preexec_fn=_limit_memory, env={**os.environ, "HOME": str(out_dir)},
                            start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()
        raise IngestError(f"文档转换超时：{name} 超过 {timeout:g} 秒仍未转换完成，文件可能已损坏"
                          f"（LibreOffice conversion timed out after {timeout:g} s）") from None
    out = out_dir / "source.docx"
    if not out.is_file():
        tail = (stderr or stdout).decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise IngestError(f"文档损坏或无法转换：{name}（LibreOffice could not convert it, exit code "
                          f"{proc.returncode}: {tail[0][:200]}）")
    return out


def extract_office(path: Path, timeout: float | None = None) -> Extracted:
    with tempfile.TemporaryDirectory(prefix="civilqa-convert-") as tmp:
        docx = convert_to_docx(path, Path(tmp), timeout)
        try:
            extracted = extract_docx(docx)
        except IngestError as exc:  # name the file the user gave, not the converted copy
            raise IngestError(str(exc).replace(docx.name, path.name)) from None
    return Extracted(extracted.units, extracted.unit_name, path.suffix.lower().lstrip("."))

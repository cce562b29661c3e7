"""The page at the app's address while the first index is built (``civilqa ui`` on a fresh clone).

Building the index from seeds/ takes about a minute on first start. Instead of a refused
connection, ``BuildingPage`` answers every request on the app's host and port with a small Chinese
page that says the index is being built, shows the stage and count, and reloads itself every two
seconds; when the build is done it closes and the app takes the port over, so the next reload
shows the app. Nothing of the index or the files is served: the page holds only the progress
text (HTML-escaped). If the port cannot be bound, the build goes on with terminal progress only.
"""
from __future__ import annotations

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="2"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>民政政策问答助手：正在准备</title>
<style>body{{font-family:sans-serif;max-width:36em;margin:3em auto;padding:0 1em;line-height:1.7;color:#222}}
progress{{width:100%;height:1.2em}}</style></head><body>
<h2>民政政策问答助手</h2><p id="building">首次启动，正在建立资料索引（约需一分钟）。完成后本页会自动打开问答界面，无需操作。</p>
<p>{stage}</p><progress value="{done}" max="{total}"></progress></body></html>"""


class BuildingPage:
    """``with BuildingPage(host, port) as page: build(progress=page.update)``."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.stage, self.done, self.total = "准备中", 0, 1
        self._server: ThreadingHTTPServer | None = None

    def update(self, stage: str, done: int, total: int) -> None:
        self.stage, self.done, self.total = str(stage), max(0, int(done)), max(1, int(total))

    def html(self) -> str:
        label = f"{self.stage}：{self.done}/{self.total}"
        return PAGE.format(stage=html.escape(label), done=min(self.done, self.total), total=self.total)

    def __enter__(self) -> "BuildingPage":
        page = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802  (http.server's name)
                body = page.html().encode("utf-8")
                self.send_response(503)  # not the app yet: clients and monitors retry
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Retry-After", "2")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            do_HEAD = do_GET

            def log_message(self, *args) -> None:  # no access log in the terminal
                pass

        try:
            self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        except OSError:
            self._server = None  # the port is taken: the terminal progress is all there is
            return self
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="civilqa-building-page", daemon=True).start()
        return self

    @property
    def serving(self) -> bool:
        return self._server is not None

    def __exit__(self, *exc) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

"""Optional login for the web app: ``civilqa ui --auth user:pass`` or ``CIVILQA_UI_AUTH``.

The value is one or more ``user:password`` entries separated by commas (a password may contain
``:`` but not ``,``). Prefer the environment variable: a command-line argument is visible to every
user of the machine in the process list. Passwords are never printed, logged or put in an error
message; only user names are.
"""
from __future__ import annotations

from ingest.errors import ConfigError

ENV = "CIVILQA_UI_AUTH"


def parse_auth(spec: str | None) -> list[tuple[str, str]] | None:
    """``"a:x,b:y"`` → ``[("a", "x"), ("b", "y")]``; None or blank → None (no login)."""
    if spec is None or not spec.strip():
        return None
    accounts: list[tuple[str, str]] = []
    for n, entry in enumerate(spec.split(","), 1):
        user, sep, password = entry.strip().partition(":")
        user = user.strip()
        if not sep or not user or not password:
            raise ConfigError(f"登录设置第 {n} 项格式不对，应为 用户名:密码（多个用逗号分隔）"
                              f"（--auth / {ENV}: entry {n} is not user:password）")
        if any(user == u for u, _ in accounts):
            raise ConfigError(f"登录设置中用户名 {user} 重复（--auth / {ENV}: duplicate user {user!r}）")
        accounts.append((user, password))
    return accounts


def describe(accounts: list[tuple[str, str]] | None) -> str:
    """What the server prints at start: user names only."""
    if not accounts:
        return "未启用登录（no login）"
    return f"已启用登录，账号：{'、'.join(u for u, _ in accounts)}（login required）"


class Authenticator:
    """Gradio's ``auth`` callable: constant-time password check, and after ``max_failures`` wrong
    passwords for one user name within ``window`` seconds that name is refused for ``window``
    seconds, even with the right password (Gradio itself does not slow down guessing). A refused
    login looks the same as a wrong password to the client; the server prints the user name."""

    def __init__(self, accounts: list[tuple[str, str]], max_failures: int = 5, window: float = 300.0,
                 clock=None, log=None) -> None:
        import threading
        import time

        self._accounts = dict(accounts)
        self.max_failures, self.window = max_failures, window
        self._clock = clock or time.monotonic
        self._log = log or (lambda msg: print(msg, flush=True))
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def __call__(self, username: str, password: str) -> bool:
        import hmac

        now = self._clock()
        with self._lock:
            if self._locked_until.get(username, 0.0) > now:
                return False
            expected = self._accounts.get(username)
            ok = expected is not None and hmac.compare_digest(password.encode("utf-8"), expected.encode("utf-8"))
            if ok:
                self._failures.pop(username, None)
                return True
            if len(self._failures) > 10_000:  # bounded whatever names are tried
                self._failures.clear()
            recent = [t for t in self._failures.get(username, []) if now - t < self.window] + [now]
            self._failures[username] = recent
            if len(recent) >= self.max_failures:
                self._locked_until[username] = now + self.window
                self._failures.pop(username, None)
                self._log(f"登录连续失败 {len(recent)} 次，账号 {username[:40]!r} 暂停登录 {self.window:.0f} 秒"
                          f"（too many failed logins）")
            return False

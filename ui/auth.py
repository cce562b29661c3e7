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


MAX_UNKNOWN_NAMES = 10_000


class Authenticator:
    """Gradio's ``auth`` callable: constant-time password check, and after ``max_failures`` wrong
    passwords for one user name within ``window`` seconds that name is refused for ``window``
    seconds, even with the right password (Gradio itself does not slow down guessing). A refused
    login looks the same as a wrong password to the client; the server prints the user name.

    Memory is bounded whatever names are tried: the accounts' counters and lock-outs live in their
    own table (one entry per account, never evicted, so failures under other names cannot reset
    them); names that are not accounts, which can never log in, share an LRU of
    ``MAX_UNKNOWN_NAMES`` counters. Expired entries are dropped as they are met. Per client
    address, ``ui.guard.LoginThrottle`` limits failed logins whatever the names."""

    def __init__(self, accounts: list[tuple[str, str]], max_failures: int = 5, window: float = 300.0,
                 clock=None, log=None, max_unknown: int = MAX_UNKNOWN_NAMES) -> None:
        import threading
        import time
        from collections import OrderedDict

        self._accounts = dict(accounts)
        self.max_failures, self.window, self.max_unknown = max_failures, window, max_unknown
        self._clock = clock or time.monotonic
        self._log = log or (lambda msg: print(msg, flush=True))
        self._failures: dict[str, list[float]] = {}  # accounts only
        self._locked_until: dict[str, float] = {}  # accounts only
        self._unknown: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def tracked(self) -> int:
        """Names with a counter or a lock-out (bounded by the accounts plus ``max_unknown``)."""
        with self._lock:
            return len(self._failures) + len(self._locked_until) + len(self._unknown)

    def __call__(self, username: str, password: str) -> bool:
        import hmac

        now = self._clock()
        with self._lock:
            until = self._locked_until.get(username)
            if until is not None:
                if until > now:
                    return False
                del self._locked_until[username]
            expected = self._accounts.get(username)
            ok = expected is not None and hmac.compare_digest(password.encode("utf-8"), expected.encode("utf-8"))
            if ok:
                self._failures.pop(username, None)
                return True
            table = self._failures if expected is not None else self._unknown
            recent = [t for t in table.get(username, []) if now - t < self.window] + [now]
            table[username] = recent[-self.max_failures:]
            if expected is None:
                self._unknown.move_to_end(username)
                while len(self._unknown) > self.max_unknown:
                    self._unknown.popitem(last=False)
                return False
            if len(recent) >= self.max_failures:
                self._locked_until[username] = now + self.window
                self._failures.pop(username, None)
                self._log(f"登录连续失败 {len(recent)} 次，账号 {username[:40]!r} 暂停登录 {self.window:.0f} 秒"
                          f"（too many failed logins）")
            return False

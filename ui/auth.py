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

"""An option left out takes its setting (ingest.settings reads every CIVILQA_* variable; typer reads
none): the root command run in-process, stopped at the first check, before any model loads."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ui.root import app


@pytest.fixture()
def env(monkeypatch, tmp_path):
    for name in ("ANSWERER", "LLM_BASE_URL", "LLM_MODEL", "INDEX_DIR", "DATA_DIR", "EMBEDDER"):
        monkeypatch.delenv(f"CIVILQA_{name}", raising=False)
    monkeypatch.setenv("CIVILQA_INDEX_DIR", str(tmp_path / "no-index"))
    return monkeypatch


def _run(args: list[str]) -> tuple[int, str]:
    r = CliRunner().invoke(app, args)
    return r.exit_code, r.output


def test_the_answerer_comes_from_the_settings_unless_the_option_is_given(env):
    env.setenv("CIVILQA_ANSWERER", "LLM")
    code, out = _run(["ask", "低保标准是多少？"])
    assert code == 2 and "使用大模型作答需要设置 CIVILQA_LLM_BASE_URL" in out, out
    code, out = _run(["ask", "--answerer", "extractive", "--llm-model", "m", "低保标准是多少？"])
    assert code == 2 and "--llm-model 只在 --answerer llm 时有效" in out, out  # the option won
    env.setenv("CIVILQA_ANSWERER", "oracle")
    code, out = _run(["ask", "低保标准是多少？"])
    assert code == 2 and "环境变量 CIVILQA_ANSWERER" in out and "oracle" in out, out


def test_the_index_directory_comes_from_the_settings(env, tmp_path):
    code, out = _run(["list", "--json"])
    assert code == 2 and "no-index" in out, out
    env.setenv("CIVILQA_EMBEDDER", "nosuch")
    code, out = _run(["ingest", str(tmp_path / "missing.txt")])
    assert code == 2 and "nosuch" in out, out

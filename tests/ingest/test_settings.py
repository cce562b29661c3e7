"""ingest/settings.py: where the data lives in a checkout and in an installed package; one validation."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.errors import ConfigError
from ingest.settings import PACKAGE_ROOT, Settings, env_name, is_checkout, overridden, settings


@pytest.fixture()
def clean_env(monkeypatch, tmp_path):
    for name in ("DATA_DIR", "INDEX_DIR", "SEEDS_DIR", "LIBRARY_DIR", "FEEDBACK_DB", "CACHE_DIR", "EMBEDDER",
                 "ANSWERER"):
        monkeypatch.delenv(f"CIVILQA_{name}", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return monkeypatch


def _checkout(root: Path) -> Path:
    (root / "seeds").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    return root


def test_a_source_checkout_keeps_its_data_in_dot_civilqa(clean_env, tmp_path):
    root = _checkout(tmp_path / "repo")
    s = settings()
    assert is_checkout(root) and s.data_path(root) == root / ".civilqa"
    assert s.index_path(root) == root / ".civilqa" / "index" and s.seeds_path(root) == root / "seeds"
    assert s.library_path(package_root=root) == (root / ".civilqa" / "library").resolve()
    assert s.feedback_path(package_root=root) == (root / ".civilqa" / "feedback.sqlite3").resolve()
    assert is_checkout(PACKAGE_ROOT)  # the tests run from this checkout


def test_an_installed_package_never_writes_inside_site_packages(clean_env, tmp_path):
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    s = settings()
    data = tmp_path / "xdg-data" / "civilqa"
    assert not is_checkout(site) and s.data_path(site) == data
    assert s.index_path(site) == data / "index" and s.seeds_path(site) == site / "ingest" / "data" / "seeds"  # package data, read only
    for p in (s.index_path(site), s.library_path(package_root=site), s.feedback_path(package_root=site)):
        assert site not in p.parents, p
    assert s.cache_path() == tmp_path / "xdg-cache" / "civilqa"


def test_variables_move_the_data(clean_env, tmp_path):
    root = _checkout(tmp_path / "repo")
    clean_env.setenv("CIVILQA_DATA_DIR", str(tmp_path / "data"))
    assert settings().index_path(root) == tmp_path / "data" / "index"
    clean_env.setenv("CIVILQA_INDEX_DIR", "~/elsewhere/idx")
    s = settings()
    assert s.index_path(root) == Path.home() / "elsewhere" / "idx"  # ~ expanded
    assert s.library_path(package_root=root) == (Path.home() / "elsewhere" / "library").resolve()  # beside it
    clean_env.setenv("CIVILQA_SEEDS_DIR", str(tmp_path / "reports"))
    clean_env.setenv("CIVILQA_FEEDBACK_DB", str(tmp_path / "fb.sqlite3"))
    s = settings()
    assert s.seeds_path(root) == tmp_path / "reports" and s.feedback_path() == (tmp_path / "fb.sqlite3").resolve()


def test_a_bad_value_is_a_config_error_naming_the_variable(clean_env):
    clean_env.setenv("CIVILQA_ANSWERER", "oracle")
    with pytest.raises(ConfigError) as info:
        settings()
    assert "CIVILQA_ANSWERER" in str(info.value) and "没有这个作答方式：oracle" in str(info.value)
    clean_env.setenv("CIVILQA_ANSWERER", " llm ")
    assert settings().answerer == "llm"
    clean_env.setenv("CIVILQA_EMBEDDER", "  ")
    assert settings().embedder is None  # blank means the default


def test_paths_given_directly_are_expanded():
    assert Settings(index_dir=Path("~/x")).index_dir == Path.home() / "x"


def test_llm_settings_are_typed_once_and_the_key_is_never_shown():
    env = {"CIVILQA_LLM_BASE_URL": " http://h/v1 ", "CIVILQA_LLM_API_KEY": "sk-very-secret",
           "CIVILQA_LLM_TIMEOUT": "12", "CIVILQA_LLM_MAX_RETRIES": "", "CIVILQA_INDEX_DIR": "/x"}
    s = settings(env)
    assert (s.llm_base_url, s.llm_timeout, s.llm_max_retries, s.index_dir) == ("http://h/v1", 12.0, None, Path("/x"))
    assert "sk-very-secret" not in repr(s) and "sk-very-secret" not in str(s.model_dump())
    assert s.llm_api_key.get_secret_value() == "sk-very-secret"
    for name, raw, words in (("LLM_TIMEOUT", "soon", "必须是数字"), ("LLM_TEMPERATURE", "inf", "必须是数字"),
                             ("LLM_MAX_RETRIES", "1.5", "必须是整数")):
        with pytest.raises(ConfigError) as info:
            settings({f"CIVILQA_{name}": raw})
        assert f"环境变量 CIVILQA_{name} {words}" in str(info.value) and "must be a" in str(info.value)


def test_engine_settings_from_the_process_environment(monkeypatch):
    """The environment source (not only ``settings(env)``): a backend URI is read as it is, not as JSON."""
    monkeypatch.setenv("CIVILQA_BACKEND", "milvus://127.0.0.1:19530?collection=workers")
    monkeypatch.setenv("CIVILQA_WATCH_SECONDS", "0.5")
    s = settings()
    assert (s.backend.uri, s.backend.alias, s.watch_seconds) == ("http://127.0.0.1:19530", "workers", 0.5)
    monkeypatch.setenv("CIVILQA_BACKEND", "elastic://h")
    with pytest.raises(ConfigError, match="CIVILQA_BACKEND.*milvus://HOST:PORT"):
        settings()


def test_engine_settings_are_typed_here():
    s = settings({"CIVILQA_BACKEND": "milvus://db.example:19531?collection=prov_a", "CIVILQA_VECTOR_INDEX": " HNSW ",
                  "CIVILQA_FLAT_MAX": "10", "CIVILQA_SQ_MIN": "20", "CIVILQA_WATCH_SECONDS": "0.5"})
    assert (s.backend.kind, s.backend.uri, s.backend.alias) == ("milvus", "http://db.example:19531", "prov_a")
    assert (s.vector_index, s.flat_max, s.sq_min, s.watch_seconds) == ("hnsw", 10, 20, 0.5)
    d = settings({})
    assert (d.backend.kind, d.vector_index, d.flat_max, d.sq_min, d.watch_seconds) == ("faiss", "auto", None, None, 2.0)
    assert settings({"CIVILQA_BACKEND": " ", "CIVILQA_WATCH_SECONDS": ""}) == d  # blank is the default


@pytest.mark.parametrize("name, raw, words", [
    ("BACKEND", "elastic://h", "milvus://HOST:PORT"),  # lists the valid forms
    ("BACKEND", "milvus://h:99999", "faiss | milvus://"),
    ("VECTOR_INDEX", "annoy", "auto、flat、ivf、ivf_sq、hnsw"),
    ("FLAT_MAX", "many", "非负整数"),
    ("FLAT_MAX", "-1", "非负整数"),
    ("SQ_MIN", "-5", "非负整数"),
    ("WATCH_SECONDS", "0", "0.1–3600"),
    ("WATCH_SECONDS", "soon", "0.1–3600"),
    ("WATCH_SECONDS", "nan", "0.1–3600"),
])
def test_a_bad_engine_setting_quotes_the_value_and_the_choices(name, raw, words):
    with pytest.raises(ConfigError) as info:
        settings({f"CIVILQA_{name}": raw})
    text = str(info.value)
    assert f"环境变量 CIVILQA_{name}" in text and repr(raw) in text and words in text
    assert text.count(f"CIVILQA_{name}") <= 2  # the variable named once in each language, not repeated


def test_the_login_and_the_answerer_are_settings_and_the_login_is_a_secret():
    s = settings({"CIVILQA_UI_AUTH": " zhangsan:pw-very-secret ", "CIVILQA_ANSWERER": " LLM "})
    assert s.ui_auth.get_secret_value() == "zhangsan:pw-very-secret" and s.answerer == "llm"
    assert "pw-very-secret" not in repr(s) and "pw-very-secret" not in str(s.model_dump())
    d = settings({"CIVILQA_UI_AUTH": "  "})
    assert (d.ui_auth, d.answerer) == (None, "extractive")  # blank: no login
    with pytest.raises(ConfigError, match="CIVILQA_ANSWERER.*answerer must be extractive or llm"):
        settings({"CIVILQA_ANSWERER": "gpt"})


def test_overridden_sets_a_checked_setting_for_a_block_and_restores_the_environment(monkeypatch):
    monkeypatch.delenv("CIVILQA_BACKEND", raising=False)
    monkeypatch.setenv("CIVILQA_WATCH_SECONDS", "0.5")
    with overridden(backend="milvus-lite:///tmp/x.db", watch_seconds=None):
        s = settings()
        assert (s.backend.kind, s.watch_seconds) == ("milvus", 0.5)
        with overridden(watch_seconds="3"):
            assert settings().watch_seconds == 3.0
        assert settings().watch_seconds == 0.5
    assert settings().backend.kind == "faiss" and env_name("backend") not in os.environ
    with pytest.raises(ConfigError, match="CIVILQA_BACKEND"):
        with overridden(backend="elastic://h"):
            pytest.fail("a bad value must not run the block")
    assert env_name("backend") not in os.environ
    with pytest.raises(KeyError):
        env_name("no_such_setting")

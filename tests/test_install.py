"""A non-editable install (``pip install .`` as a wheel) works away from the checkout: the seed
reports come with the package (``setup.py`` puts ``seeds/`` in the wheel as package data), and
``civilqa ingest`` / ``civilqa ask`` run from another directory put the index in the user data
directory (platformdirs), never inside site-packages.

The wheel goes into a fresh venv without its dependencies; those are read from this checkout's
venv through a ``.pth`` line (a plain path: its editable-install hook is not run), so the test needs
no network and no second copy of torch."""
from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.system

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("install")
    # built from a copy: setuptools' build/ in the checkout would keep files since removed
    src = work / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".*", "build", "*.egg-info", "__pycache__", "reports",
                                                            "test-output"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(work / "wheel"), str(src)], check=True, cwd=src, timeout=300)
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    target = Path(subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                 check=True, capture_output=True, text=True).stdout.strip())
    (target / "deps-from-checkout.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    wheel = next((work / "wheel").glob("*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--quiet", "--no-deps",
                    "--no-index", str(wheel)], check=True, timeout=300)
    return venv


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVILQA_", "PYTHON"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"), COLUMNS="200")
    return env


def test_an_installed_package_ingests_its_seeds_into_the_user_data_dir(installed, tmp_path):
    py, civilqa = installed / "bin" / "python", installed / "bin" / "civilqa"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _env(tmp_path / "home")
    where = subprocess.run([py, "-c", "import ingest, ingest.settings as s; print(ingest.__file__);"
                                      "print(s.default_seeds_dir()); print(s.default_index_dir())"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.split("\n")
    package, seeds, index = (Path(line) for line in where[:3])
    assert ROOT not in package.parents and "site-packages" in package.parts  # the wheel, not the checkout
    assert seeds == package.parent / "data" / "seeds"
    assert sorted(p.name for p in seeds.iterdir()) == sorted(p.name for p in (ROOT / "seeds").iterdir())
    assert index == tmp_path / "home" / "data" / "civilqa" / "index"

    p = subprocess.run([civilqa, "ingest"], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    manifest = json.loads(next(index.glob("*/manifest.json")).read_text(encoding="utf-8"))
    shipped = {p.name for p in seeds.iterdir() if p.suffix == ".txt"}
    assert set(manifest["sources"]) == shipped and not list(package.parent.parent.glob("**/.civilqa"))
    question = json.loads((ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()[0])["question"]
    p = subprocess.run([civilqa, "ask", "--json", question], cwd=elsewhere, env=env, capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    answer = json.loads(p.stdout)
    assert answer["answerable"] and answer["citations"] and {c["source"] for c in answer["citations"]} <= shipped
    assert not list(elsewhere.iterdir())  # nothing written in the working directory

"""The seed reports as package data: ``seeds/`` (top level in the checkout, where ``make ui`` and
the tests read it) is copied into the wheel as ``ingest/data/seeds/``, so ``pip install .`` (not
editable) ships them and ``ingest.settings`` finds them there. Everything else is in pyproject.toml.
"""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SEEDS = Path(__file__).resolve().parent / "seeds"
PACKAGED = ("ingest", "data", "seeds")  # ingest.settings.PACKAGED_SEEDS


class BuildPyWithSeeds(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout's seeds/ directly
            return
        target = Path(self.build_lib).joinpath(*PACKAGED)
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted(SEEDS.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                self.copy_file(str(path), str(target / path.name))


setup(cmdclass={"build_py": BuildPyWithSeeds})

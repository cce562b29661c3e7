"""``bm25s``, imported without ``scipy.sparse`` when only a saved index is searched.

bm25s imports ``scipy.sparse`` at the top (~0.2 s, a fifth of a command-line question's cold
start) but uses it only to build a score matrix; loading and searching a saved index is numpy.
``bm25s_module()`` imports it with scipy.sparse hidden for that one import (nothing else sees the
difference: the entry is removed at once, and scipy stays importable); ``bm25s_module(build=True)``
gives bm25s its scipy back first, so an index built in the same process is built exactly as
before.
"""
from __future__ import annotations

import importlib
import sys
import threading
from types import ModuleType

_lock = threading.Lock()


def bm25s_module(build: bool = False) -> ModuleType:
    with _lock:
        mod = sys.modules.get("bm25s")
        if mod is None:
            if build or "scipy.sparse" in sys.modules:
                mod = importlib.import_module("bm25s")
            else:
                sys.modules["scipy.sparse"] = None  # type: ignore[assignment]  # "not installed", for one import
                try:
                    mod = importlib.import_module("bm25s")
                finally:
                    if sys.modules.get("scipy.sparse") is None:
                        del sys.modules["scipy.sparse"]
        if build and not getattr(mod, "SCIPY_AVAILABLE", True):
            try:
                mod.sp = importlib.import_module("scipy.sparse")
                mod.SCIPY_AVAILABLE = True
            except ImportError:
                pass  # bm25s builds with its numpy backend, as it would without scipy
        return mod

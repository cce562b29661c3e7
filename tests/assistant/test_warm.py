"""assistant/warm.py: the one-time loads a server makes at start-up, checked in a fresh
interpreter (in this one another test may have made them already)."""
from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
from ingest import places
from ingest.text import converter
from assistant.warm import warm_up
from assistant.scripts import TRADITIONAL_CONFIGS
assert "cn2an" not in sys.modules and places._jieba is None, "loaded before warm_up"
assert converter.cache_info().currsize == 0
assert "jieba.posseg" not in sys.modules
warm_up()
import jieba, jieba.posseg
assert jieba.posseg.dt.word_tag_tab and jieba.dt.initialized  # the tagger and its tokenizer's dictionary
assert "cn2an" in sys.modules and places._jieba is not None
assert converter.cache_info().currsize == 1 + len(TRADITIONAL_CONFIGS)
seg = places._jieba
warm_up()
assert places._jieba is seg  # once
print("ok")
"""


def test_warm_up_makes_the_first_questions_loads_once():
    proc = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ok"

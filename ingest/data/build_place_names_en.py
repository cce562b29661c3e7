"""Generate ``ingest/data/place_names_en.json``: the pinyin readings of every gazetteer place.

Run by hand after ``gazetteer.json`` changes; nothing imports this at run time::

    python -m pip install --no-deps pypinyin==0.55.0   # only to run this script
    .venv/bin/python ingest/data/build_place_names_en.py   # rewrites ingest/data/place_names_en.json

An English question names places in pinyin (``Huangpu``, ``Deqing County``, ``Heilongjiang``).
For every place of ``gazetteer.json`` the output holds:

- ``en``: the reading used to write the place in English (``huang pu``: syllables, so that
  ``ingest.english_places`` can write Huangpu, and a reader can check it);
- ``keys``: the readings of the short name, joined (``huangpu``): pypinyin's reading of the
  phrase first, then, for the characters of POLYPHONES (长 chang/zhang, 朝 chao/zhao), each
  other reading, so a question's spelling is found whichever one the place uses. Other
  characters keep the phrase reading only: every dictionary reading of every character
  would make most keys ambiguous (平 ping/bing/pian).

Functional zones (高新区…) have no pinyin of their own and are left out.

Exonyms and readings pypinyin gets wrong (Tibet, Shaanxi, 长治 Changzhi) are hand-made
exceptions in ``places.json`` (key ``english``), applied when the file is loaded, not here.
"""
from __future__ import annotations

import argparse
import importlib.metadata
import itertools
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
if __package__ in (None, ""):  # run as a file: the project root, for its one atomic writer
    sys.path.insert(0, str(HERE.parents[1]))
from ingest.atomic import write_text_atomic  # noqa: E402
from ingest.data.generated import render_generated  # noqa: E402
OUT = HERE / "place_names_en.json"
GAZETTEER = HERE / "gazetteer.json"
FORMAT = ("civilqa-place-names-en", 1)
MAX_READINGS = 8
# the reading a character has in place names, where pypinyin reads it as in other words
# (长治 Changzhi, not Zhangzhi; 漯河 Luohe); the few places that read it otherwise are
# exceptions in places.json (长子县 Zhangzi)
PRIMARY = {"长": "chang", "朝": "chao", "勒": "le", "漯": "luo"}
# the suffixes a short name that is the full name loses (阿里地区 → 阿里)
SUFFIXES = ("特别行政区", "自治区", "自治州", "地区", "市", "县", "区", "省", "州", "旗", "盟")
# the English level word of a one-character name's suffix (温县 Wen County)
LEVEL_WORDS = {"县": "county", "区": "district", "市": "city", "旗": "banner"}
# characters whose reading in place names varies from place to place (长沙 chang, 长子 zhang)
POLYPHONES = {"长": ("chang", "zhang"), "朝": ("chao", "zhao"), "乐": ("le", "yue", "lao"),
              "单": ("shan", "dan"), "六": ("lu", "liu"), "厦": ("xia", "sha"), "重": ("chong", "zhong"),
              "番": ("pan", "fan"), "铅": ("yan", "qian"), "曲": ("qu",), "大": ("da", "dai"),
              "柏": ("bai", "bo"), "莘": ("shen", "xin"), "浚": ("xun", "jun"), "洪": ("hong",),
              "荥": ("xing", "ying"), "蔚": ("yu", "wei"), "枞": ("zong", "cong"), "歙": ("she", "xi")}


def readings(short: str) -> tuple[str, list[str]]:
    """(the phrase reading with spaces, every joined reading) of a short name."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(short, style=Style.NORMAL, errors="ignore")
    if len(syllables) == len(short):
        syllables = [PRIMARY.get(ch, s) for ch, s in zip(short, syllables)]
    phrase = " ".join(syllables)
    if len(syllables) != len(short):  # a character pypinyin cannot read
        return phrase, [phrase.replace(" ", "")]
    options = [list(dict.fromkeys((s, *POLYPHONES.get(ch, ())))) for ch, s in zip(short, syllables)]
    keys = [phrase.replace(" ", "")]
    for combo in itertools.islice(itertools.product(*options), MAX_READINGS * 4):
        key = "".join(combo)
        if key not in keys:
            keys.append(key)
    return phrase, keys[:MAX_READINGS]


def build(gazetteer: dict) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for p in gazetteer["places"]:
        if p.get("zone"):
            continue
        short = p.get("short") or p["name"]
        if short == p["name"]:
            bare = next((short[:-len(e)] for e in SUFFIXES if short.endswith(e) and len(short) > len(e)), short)
            if len(bare) == 1:  # 温县: Wenxian, or Wen with its level word (Wen County); never Wen alone
                word = LEVEL_WORDS.get(short[len(bare):], "")
                phrase, keys = readings(bare)
                whole = readings(short)[1] + ([k + word for k in keys] if word else [])
                out[p["code"]] = {"en": phrase, "keys": list(dict.fromkeys(whole))}
                continue
            short = bare
        phrase, keys = readings(short)
        if keys and keys[0]:
            out[p["code"]] = {"en": phrase, "keys": keys}
    return out


def render(names: dict[str, dict], version: str) -> str:
    head = {
        "format": FORMAT[0], "version": FORMAT[1],
        "source": {"package": "pypinyin", "package_version": version, "from": "ingest/data/gazetteer.json"},
        "generated_by": "ingest/data/build_place_names_en.py (do not edit by hand; exceptions go in places.json, key english)",
        "_doc": "Per gazetteer code: en = the pinyin of the short name, syllables spaced; keys = its readings joined, "
                "the first the usual one (a polyphonic character gives more).",
    }
    return render_generated(head, "names", names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    try:
        version = importlib.metadata.version("pypinyin")
    except importlib.metadata.PackageNotFoundError:
        print("需要先安装 pypinyin：python -m pip install --no-deps pypinyin==0.55.0（pypinyin not installed）",
              file=sys.stderr)
        return 2
    names = build(json.loads(GAZETTEER.read_text(encoding="utf-8")))
    text = render(names, version)
    json.loads(text)  # what we write must read back
    write_text_atomic(args.out, text)
    print(f"{args.out}: {len(names)} places")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Generate ``ingest/data/gazetteer.json`` from jionlp's administrative-division table.

Run by hand when the source table changes; nothing imports this at run time::

    python -m pip install --no-deps jionlp==1.5.31   # only to run this script
    .venv/bin/python ingest/data/build_gazetteer.py   # rewrites ingest/data/gazetteer.json

Source: ``jionlp/dictionary/china_location.zip`` (``china_location.txt``) shipped in
the jionlp package (Apache-2.0): one line per division, indented by level with tabs,
``name<TAB>code<TAB>short`` for provinces, prefecture-level units and counties (towns
and villages below have names only). The zip is read straight from the installed
package: jionlp itself is not imported (it would pull in its own dependencies).

What the output holds, one place per line:

- every province-level division (31 on the mainland, plus 香港, 澳门, 台湾 without
  their subdivisions, whose names clash with mainland districts);
- every prefecture-level unit (``level: "city"``: 地级市, 自治州, 地区, 盟);
- every county-level unit (``level: "county"``: 市辖区, 县, 县级市, 旗, 自治县…);
  the four municipalities' districts and the counties a province administers
  directly (省直辖: 济源市, 仙桃市…) have the province as parent; functional zones
  with statistical codes (经济技术开发区…, code digit 5 = 7) are kept with ``zone: true``.

``text_short`` says whether the short name (武陟 for 武陟县) may be matched in running
text. It is false where the short name is shared with another place (鼓楼, 朝阳区
vs 朝阳市 are decided by the parent chain instead), is a single character, or is an
ordinary word in jieba's dictionary that is not tagged as a place name and is common
(富民, 大方, 同心, 平安, 城中): such a word in a sentence is almost never the county.
Provinces and prefecture-level units always keep their short names (a clash between a
province and a city short name, 吉林, goes to the province in ``ingest.places``).
Hand-made exceptions live in ``ingest/data/places.json``, not here.

``boundary_words`` lists the two-character words of jieba's dictionary (not place
names, frequency >= BOUNDARY_FREQ) that start with the last character of a short name
matched in text (provinces', prefectures' and places.json's aliases): 乡村 for 新乡,
安置 for 新安. When a short name in text runs into one (建设美丽新乡村), ``ingest.places``
asks jieba whether the text really splits after the name (新乡/村 or 新/乡村).
"""
from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import io
import json
import sys
import zipfile
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):  # run as a file: the project root, for the generators' shared helpers
    sys.path.insert(0, str(Path(__file__).parents[2]))
from ingest.data.generated import jieba_dictionary, render_generated  # noqa: E402

OUT = Path(__file__).with_name("gazetteer.json")
SOURCE_MEMBER = "china_location.txt"
NO_SUBDIVISIONS = {"香港特别行政区", "澳门特别行政区", "台湾省"}
DIRECT = "省直辖行政区划"  # jionlp's pseudo-prefecture for counties under a province
# A county short name that jieba knows as a word of another kind is "ordinary" from this
# frequency on: lower for common-word tags (n, v, a, ...: 富民, 同心, 安居), higher for
# proper-noun tags, which jieba also gives to many real county names (武陟 nr, 昌平 nr).
ORDINARY_FREQ = 100
PROPER_TAGS = {"nr", "nz", "nrt", "nrfg", "j", "b"}
PROPER_ORDINARY_FREQ = 1000
BOUNDARY_FREQ = 100
OVERLAY = Path(__file__).with_name("places.json")


def _source_zip() -> tuple[Path, str]:
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("jionlp is not installed: python -m pip install --no-deps jionlp==1.5.31")
    path = Path(list(spec.submodule_search_locations)[0]) / "dictionary" / "china_location.zip"
    return path, importlib.metadata.version("jionlp")


def parse(text: str) -> list[dict]:
    """Rows of the indented table -> place records with codes, levels and parents."""
    places: list[dict] = []
    province = prefecture = None
    for line in text.splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip("\t").split("\t")
        if depth > 2 or not parts[0]:
            continue  # towns and villages: names only, far too ambiguous for text matching
        if len(parts) != 3:
            continue  # rows without a code (Taiwan's districts)
        name, code, short = parts
        if depth == 0:
            province = {"code": code, "name": name, "short": short, "level": "province", "parent": None}
            prefecture = None
            places.append(province)
        elif province is None or province["name"] in NO_SUBDIVISIONS:
            continue
        elif depth == 1:
            if name == province["name"] or name == DIRECT:
                prefecture = None  # municipality or province-administered counties: parent is the province
            else:
                prefecture = {"code": code, "name": name, "short": short, "level": "city",
                              "parent": province["code"]}
                places.append(prefecture)
        elif name.endswith("直辖行政区划"):
            continue  # a statistical grouping under a city, not a place
        else:
            parent = prefecture or province
            rec = {"code": code, "name": name, "short": short, "level": "county", "parent": parent["code"]}
            if code[4] == "7":
                rec["zone"] = True
            places.append(rec)
    return places


def mark_text_shorts(places: list[dict], words: dict[str, tuple[int, str]]) -> None:
    names = Counter(p["name"] for p in places)
    shorts = Counter(p["short"] for p in places if p["short"] != p["name"])
    for p in places:
        s = p["short"]
        if p["level"] != "county":
            p["text_short"] = len(s) >= 2 and s != p["name"]
            continue
        freq, tag = words.get(s, (0, ""))
        limit = PROPER_ORDINARY_FREQ if tag in PROPER_TAGS else ORDINARY_FREQ
        ordinary = bool(tag) and tag != "ns" and freq >= limit
        p["text_short"] = (len(s) >= 2 and s != p["name"] and not p.get("zone")
                           and shorts[s] == 1 and names[s] == 0 and not ordinary)


def boundary_words(places: list[dict], words: dict[str, tuple[int, str]]) -> list[str]:
    aliases = json.loads(OVERLAY.read_text(encoding="utf-8")).get("aliases", {})
    last = {p["short"][-1] for p in places if p["level"] != "county" and p["short"] != p["name"]}
    last |= {a[-1] for a in aliases}
    return sorted(w for w, (freq, tag) in words.items()
                  if len(w) == 2 and w[0] in last and freq >= BOUNDARY_FREQ and tag != "ns")


def render(places: list[dict], source: str, version: str, boundary: list[str]) -> str:
    counts = Counter(p["level"] for p in places if not p.get("zone"))
    header = {
        "format": "civilqa-gazetteer",
        "version": 1,
        "source": {"package": "jionlp", "package_version": version,
                   "file": f"jionlp/dictionary/china_location.zip:{SOURCE_MEMBER}", "license": "Apache-2.0"},
        "generated_by": "ingest/data/build_gazetteer.py (do not edit by hand; exceptions go in places.json)",
        "_doc": ("One record per administrative division: code, full name, short name, level "
                 "(province / city = prefecture level / county = county level), parent code, "
                 "text_short (may the short name be matched in running text), zone (functional zone). "
                 "boundary_words: see the generator's docstring."),
        "counts": {"province": counts["province"], "city": counts["city"], "county": counts["county"],
                   "zone": sum(1 for p in places if p.get("zone"))},
        "boundary_words": " ".join(boundary),
    }
    return render_generated(header, "places", places)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    path, version = _source_zip()
    with zipfile.ZipFile(path) as zf:
        text = io.TextIOWrapper(zf.open(SOURCE_MEMBER), encoding="utf-8").read()
    places = sorted(parse(text), key=lambda p: p["code"])
    words = jieba_dictionary()
    mark_text_shorts(places, words)
    out = render(places, str(path), version, boundary_words(places, words))
    json.loads(out)  # what we write must read back
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(out, encoding="utf-8")
    tmp.replace(args.out)
    counts = Counter(p["level"] for p in places if not p.get("zone"))
    print(f"wrote {args.out}: {dict(counts)}, zones {sum(1 for p in places if p.get('zone'))}, "
          f"text shorts {sum(1 for p in places if p['text_short'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Place names: which region a text is about and which places a question names.

The gazetteer lives in ``ingest/data/places.json`` (editable): Henan's
prefecture-level cities with their districts and counties, plus the other
provinces and large cities a citizen might name. ``Place.parent`` links a
county or district to its city so that 武陟县 counts as 焦作市 and 惠济区 as
郑州市惠济区.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "places.json"
_SUFFIXES = ("特别行政区", "自治区", "自治州", "市", "县", "区", "省", "州", "旗", "盟")


@dataclass(frozen=True)
class Place:
    name: str  # canonical, with suffix: 焦作市, 武陟县, 惠济区, 北京市
    level: str  # province, city, county
    parent: str | None  # canonical name of the city/province it belongs to

    @property
    def region(self) -> str:
        """The region label used in metadata: 焦作市, or 郑州市惠济区 for a district."""
        if self.level == "county" and self.parent:
            return self.parent + self.name
        return self.name

    @property
    def city(self) -> str:
        """The prefecture-level city (or province) the place is in."""
        return self.parent if self.level == "county" and self.parent else self.name


def _short(name: str) -> str:
    for suf in _SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Place]:
    """Map every alias (full and short name) to its Place."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    out: dict[str, Place] = {}
    for prov in raw["provinces"]:
        out.setdefault(prov, Place(prov, "province", None))
    for city, info in raw["cities"].items():
        out[city] = Place(city, "city", info.get("province"))
        for county in info.get("counties", []):
            # a county name shared by two cities keeps its first owner
            out.setdefault(county, Place(county, "county", city))
    aliases: dict[str, Place] = {}
    for name, place in out.items():
        aliases[name] = place
        short = _short(name)
        if place.level != "county" and short != name and len(short) >= 2:
            aliases.setdefault(short, place)
    for alias, target in raw.get("aliases", {}).items():
        if target not in out:
            from .errors import ConfigError

            raise ConfigError(f"地名表有误：{DATA} 中 aliases.{alias}：{target!r} 不是表中的地名"
                              f"（bad alias in gazetteer {DATA}: {alias} -> {target!r} is not a listed place）")
        aliases[alias] = out[target]
    return aliases


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    names = sorted(gazetteer(), key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names))


# Words that contain a place alias but are not places (城市 contains no alias, but
# e.g. 中原网 contains 中原 if it were one): filtered by context below.
_NOT_PLACE_AFTER = re.compile(r"^(路|街|大道|日报|晚报|时报|网|牌)")


def find_places(text: str) -> list[tuple[Place, int, int]]:
    """All gazetteer places mentioned in ``text`` with their offsets, longest match first."""
    found = []
    for m in _pattern().finditer(text):
        full = gazetteer()[m.group()].name == m.group()
        if not full and _NOT_PLACE_AFTER.match(text[m.end():m.end() + 2]):
            continue  # 焦作日报, 惠济时报: a short name used as a brand, not the place
        found.append((gazetteer()[m.group()], m.start(), m.end()))
    return found


def lookup(name: str) -> Place | None:
    return gazetteer().get(name)


def detect_region(text: str) -> str | None:
    """The region a report is about: the most mentioned city, refined to a
    district/county when one district dominates (惠济区 reports → 郑州市惠济区)."""
    city_counts: dict[str, int] = {}
    county_counts: dict[str, int] = {}
    for place, _, _ in find_places(text):
        if place.level == "province":
            continue
        city_counts[place.city] = city_counts.get(place.city, 0) + 1
        if place.level == "county":
            county_counts[place.name] = county_counts.get(place.name, 0) + 1
    if not city_counts:
        return None
    city = max(city_counts, key=lambda c: city_counts[c])
    # a district that accounts for most of the city's mentions is the subject
    for county, n in sorted(county_counts.items(), key=lambda kv: -kv[1]):
        place = gazetteer()[county]
        if place.city == city and n >= 3 and n >= 0.5 * city_counts[city]:
            return place.region
    return city

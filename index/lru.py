"""A small thread-safe LRU mapping: the bounded caches of query and sentence vectors.

``Bounded(size)``: ``get(key)`` (None when absent) and ``put(key, value)``; the least recently
used entry goes when more than ``size`` are held, so a cache never grows with the requests.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from ingest.errors import ConfigError


class Bounded:
    def __init__(self, size: int) -> None:
        if size < 1:
            raise ConfigError(f"缓存大小必须大于 0，当前为 {size}（cache size must be greater than 0）")
        self.size = size
        self._d: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            v = self._d.get(key)
            if v is not None:
                self._d.move_to_end(key)
            return v

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._d[key] = value
            self._d.move_to_end(key)
            while len(self._d) > self.size:
                self._d.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._d)

"""The bounded LRU of query and sentence vectors."""
import pytest

from index.lru import Bounded
from ingest.errors import CivilQAError


def test_the_least_recently_used_entry_goes_first():
    c = Bounded(2)
    c.put("a", 1)
    c.put("b", 2)
    assert c.get("a") == 1  # a is now the most recent
    c.put("c", 3)
    assert c.get("b") is None and c.get("a") == 1 and c.get("c") == 3 and len(c) == 2


def test_a_cache_of_no_entries_is_refused():
    with pytest.raises(CivilQAError, match="缓存大小"):
        Bounded(0)


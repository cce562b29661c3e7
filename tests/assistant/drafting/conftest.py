"""The drafting tests' draft of the shared message over the real seed index, built once per module."""
from __future__ import annotations

import datetime as dt

import pytest
from drafting_samples import MESSAGE

from assistant.drafting import draft_reply


@pytest.fixture(scope="module")
def draft(assistant):
    return draft_reply(assistant, MESSAGE, today=dt.date(2024, 5, 6))

"""assistant.present.per_label / amount_label: the one amount label of the CLI, the standards tab
and the answers' standards sentences."""
from __future__ import annotations

import pytest

from assistant.present import amount_label, per_label


@pytest.mark.parametrize("per, period, label", [
    ("人次", "月", "每人次"),
    ("人", "月", "每人每月"),
    ("人", "年", "每人每年"),
    ("人", None, "人均"),
    (None, "月", "每月"),
    (None, "年", "每年"),
    (None, None, ""),
])
def test_per_label(per, period, label):
    assert per_label({"per": per, "period": period}) == label


def test_per_label_without_the_period_and_on_objects():
    class Row:
        per, period, amount, unit = "人", "月", 700, "元"

    assert per_label(Row(), with_period=False) == "人均"
    assert amount_label(Row()) == "700元（每人每月）"
    assert amount_label({"amount": 4524, "unit": "元"}) == "4524元（周期未注明）"

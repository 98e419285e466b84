"""generator.formatting.shares (largest remainder) and change: values checked by hand."""

from __future__ import annotations

import os
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.formatting import change, percent, shares

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))


def printed(values, places=2, rounding="half_up"):
    return [percent(s, places, rounding) for s in shares([D(v) for v in values], places, rounding)]


def test_no_adjustment_when_half_up_already_sums_to_100():
    # 45.77/98.2 = 46.6090%, 46.94/98.2 = 47.8004%, 5.49/98.2 = 5.5906%, 0
    assert printed(["45.77", "46.94", "5.49", "0"]) == ["46.61%", "47.80%", "5.59%", "0.00%"]


def test_a_missing_unit_goes_to_the_largest_remainder():
    # the seed's 公用经费 table: half-up gives 99.99%; 工会经费 2.72/46.94 = 5.7946% has the
    # largest remainder (0.0046) and becomes 5.80%
    values = ["5.53", "6.93", "0.33", "0.14", "0.6", "9", "0.13", "1.26", "3", "2.72", "4.26", "13.04"]
    result = printed(values)
    assert result == [
        "11.78%",
        "14.76%",
        "0.70%",
        "0.30%",
        "1.28%",
        "19.17%",
        "0.28%",
        "2.68%",
        "6.39%",
        "5.80%",
        "9.08%",
        "27.78%",
    ]


def test_an_extra_unit_is_taken_from_the_share_rounded_up_most():
    # 1/6 = 16.667% six times: half-up 17% each = 102%; the first two lose a unit (ties: earlier first)
    assert printed([1] * 6, places=0) == ["16%", "16%", "17%", "17%", "17%", "17%"]
    # 1, 1, 1 → 33.333% each: 99.99%, the first gets the unit
    assert printed([1, 1, 1]) == ["33.34%", "33.33%", "33.33%"]


def test_truncation_starts_from_truncated_shares():
    # 2/3 = 66.666…%, 1/3 = 33.333…%: truncated 66.66 + 33.33 = 99.99, the larger remainder
    # (0.00666 against 0.00333) takes the unit
    assert printed([2, 1], rounding="truncate") == ["66.67%", "33.33%"]


def test_zero_total_gives_undefined_shares():
    assert shares([D(0), D(0)]) == (None, None)
    assert shares([]) == ()


def test_refuses_negative_values_and_floats():
    with pytest.raises(ValueError):
        shares([D(1), D(-1), D(2)])
    with pytest.raises(TypeError):
        shares([0.5, 0.5])


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.lists(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False), min_size=1, max_size=30),
    st.integers(min_value=0, max_value=3),
    st.sampled_from(["half_up", "truncate"]),
)
def test_shares_always_print_summing_to_100_within_one_unit_each(values, places, rounding):
    result = shares(values, places, rounding)
    total = sum(values, D(0))
    if total == 0:
        assert all(s is None for s in result)
        return
    unit = D(1).scaleb(-places)
    as_percent = [s * 100 for s in result]
    assert sum(as_percent) == 100
    for value, share in zip(values, as_percent, strict=True):
        exact = value * 100 / total
        assert abs(share - exact) < unit
        assert share == share.quantize(unit)  # prints exactly, no further rounding
        if value == 0:
            assert share == 0


def test_change_in_words():
    assert change(D("0.13"), unit="万元") == "增加0.13万元"
    assert change(D("-1234.5"), unit="万元") == "减少1,234.50万元"
    assert change(D("0.004")) == "持平"
    assert change(D("0.005")) == "增加0.01"
    assert change(D("0.009"), rounding="truncate") == "持平"
    assert change(D("3"), words=("上升", "下降", "不变")) == "上升3.00"

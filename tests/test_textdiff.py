"""Character-level and paragraph-level differences of Chinese text."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from generator import stale, textdiff
from generator.textdiff import DELETE, EQUAL, INSERT


def test_tokens_keep_figures_whole():
    assert textdiff.tokens("年初预算17,534.51万元，执行率99.79%") == [
        "年",
        "初",
        "预",
        "算",
        "17,534.51",
        "万",
        "元",
        "，",
        "执",
        "行",
        "率",
        "99.79%",
    ]


def test_a_changed_figure_is_one_deletion_and_one_insertion():
    ops = textdiff.char_ops("调整后预算23,434.12万元", "调整后预算17,697.70万元")
    assert ops == [(EQUAL, "调整后预算"), (DELETE, "23,434.12"), (INSERT, "17,697.70"), (EQUAL, "万元")]


def test_chinese_is_compared_by_character_not_by_space():
    ops = textdiff.char_ops("营造清朗网络空间、助力疫情防控和经济发展", "营造清朗网络空间、助力经济发展")
    assert ops == [(EQUAL, "营造清朗网络空间、助力"), (DELETE, "疫情防控和"), (EQUAL, "经济发展")]
    assert textdiff.changed_chars(ops) == (0, 5)


def test_a_single_kept_character_between_changes_is_folded():
    assert textdiff.char_ops("甲乙丙", "丁乙戊") == [(DELETE, "甲乙丙"), (INSERT, "丁乙戊")]


text = st.text(alphabet="年度预算执行率一二三0123456789.,%，。 ab", max_size=40)


@given(text, text)
def test_ops_rebuild_both_texts(a, b):
    ops = textdiff.char_ops(a, b)
    assert textdiff.old_text(ops) == a
    assert textdiff.new_text(ops) == b
    assert all(t for _, t in ops)
    assert all(x[0] != y[0] for x, y in itertools.pairwise(ops))  # runs are merged


def test_similarity():
    assert textdiff.similarity("一样", "一样") == 1.0
    assert textdiff.similarity("", "不同") == 0.0
    assert textdiff.similarity("2022年度部门整体支出情况表", "2023年度部门整体支出情况表") > 0.9


def test_pair_paragraphs_equal_first_then_alike():
    a = ["甲段落原文。", "乙段落，有2022年的数字。", "丙段落将被删除。"]
    b = ["乙段落，有2023年的数字。", "甲段落原文。", "全新的段落。"]
    assert textdiff.pair_paragraphs(a, b) == [(1, 0), (0, 1)]


def test_interleave_puts_deleted_items_where_they_were():
    # A: a0 a1 a2 a3 ; B: b0 b1 b2 ; a0=b0, a2=b1, a3=b2: a1 is deleted, after b0
    assert textdiff.interleave(4, 3, [(0, 0), (2, 1), (3, 2)]) == [(0, 0), (1, None), (2, 1), (3, 2)]
    # nothing paired: A's first (it came before everything), then B's
    assert textdiff.interleave(1, 2, []) == [(0, None), (None, 0), (None, 1)]


def test_pair_in_order_never_crosses():
    # table rows: the blank rows of the second group must not pair with those of the first
    a = ["表头", "效益指标", "", "", "合计"]
    b = ["表头", "产出指标", "", "", "", "效益指标", "", "", "合计"]
    pairs = textdiff.pair_in_order(a, b, 0.6)
    assert pairs == [(0, 0), (1, 5), (2, 6), (3, 7), (4, 8)]
    # alike texts are paired only where they keep the order
    assert textdiff.pair_in_order(["甲乙丙丁", "戊己庚辛"], ["戊己庚辛壬", "甲乙丙丁壬"], 0.6) == [(0, 1)]


@given(
    st.lists(st.sampled_from(["", "甲", "乙", "丙丁"]), max_size=8),
    st.lists(st.sampled_from(["", "甲", "乙", "丙戊"]), max_size=8),
)
def test_pair_in_order_pairs_are_increasing(a, b):
    pairs = textdiff.pair_in_order(a, b, 0.5)
    assert [i for i, _ in pairs] == sorted(i for i, _ in pairs)
    assert [j for _, j in pairs] == sorted(j for _, j in pairs)
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)


def test_stale_phrases():
    found = stale.find("开展2023年度绩效自评，助力疫情防控，上年结转，2023-12-31")
    assert [(p.kind, p.text) for p in found] == [
        (stale.YEAR, "2023"),
        (stale.EPIDEMIC, "疫情"),
        (stale.RELATIVE, "上年"),
        (stale.YEAR, "2023"),
    ]
    assert stale.summary("2023年和2023年度，疫情") == ["2023年", "疫情"]
    assert stale.find("建党100周年，共12345人") == []

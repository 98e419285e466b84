"""Annexes (附件): the two score tables, their merged cells and GB/T 9704 placement."""

from __future__ import annotations

from docx import Document
from docx.oxml.ns import qn

from generator.extract import blocks, tables, text_lines


def annex_tables(path):
    return tables(path)[2:]


def test_annex_list_after_the_body(built):
    lines = text_lines(built[("guangzhou", 2023)])
    # the 统计表 has no value in any indicator row: left out, so the 自评表 is the only annex (no number)
    start = lines.index("附件：部门整体支出绩效评价自评表（无专项资金）")
    assert lines[start - 1].startswith("通过指导基层单位完善资产管理制度")  # the last paragraph of the body
    assert lines[start + 1 : start + 3] == ["附件", "部门整体支出绩效评价自评表（无专项资金）"]
    assert "（详见附件：部门整体支出绩效评价自评表（无专项资金））" in next(l for l in lines if "总体综合评分" in l)
    assert "部门整体支出绩效指标完成情况统计表" not in lines


def test_each_annex_starts_a_page_with_its_label(built):
    styles = [
        (style, text) for kind, value in blocks(built[("guangzhou", 2023)]) if kind == "p" for style, text in [value]
    ]
    labels = [(s, t) for s, t in styles if s == "Annex Label"]
    assert labels == [("Annex Label", "附件")]
    doc = Document(str(built[("guangzhou", 2023)]))
    style = doc.styles["Annex Label"].element
    assert style.pPr.find(qn("w:pageBreakBefore")) is not None
    assert style.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    assert [p.text for p in doc.paragraphs if p.style.name.startswith("Annex List")] == [
        "附件：部门整体支出绩效评价自评表（无专项资金）",
    ]


def test_self_evaluation_table(built):
    (evaluation,) = annex_tables(built[("guangzhou", 2023)])
    assert evaluation == [
        # no indicator has a 二级 name in the seed: the empty 二级指标 column is not printed
        ["一级指标", "三级指标", "分值", "得分", "得分率"],
        ["履职效能", "部门整体绩效目标产出指标完成情况", "20", "20", "100.00%"],
        ["", "部门整体绩效目标效益指标完成情况", "20", "20", "100.00%"],
        ["", "部门预算资金支出率", "10", "10", "100.00%"],
        ["", "小计", "50", "50", "100.00%"],
        # 管理效能's 8 二级 and 23 三级 are not itemized in the seed
        ["管理效能", "", "50", "45.5", "91.00%"],
        ["合计", "100", "95.5", "95.50%"],
    ]


def test_empty_indicator_table_is_left_out_and_check_warns(project, tmp_path):
    from generator.pipeline import build, check

    from .conftest import edit

    # the seed printed no indicator's values: asking for the 统计表 anyway
    data = project.root / "data" / "guangzhou" / "2023.yaml"
    edit(data, "annexes:\n", "annexes:\n  - {key: indicators, title: 部门整体支出绩效指标完成情况统计表}\n")
    warnings = []
    check(project, "guangzhou", 2023, warnings.append)
    line = (
        data.read_text(encoding="utf-8")
        .splitlines()
        .index("  - {key: indicators, title: 部门整体支出绩效指标完成情况统计表}")
        + 1
    )
    assert [str(w) for w in warnings] == [
        f"{data}:{line}: annexes[0]（附件）: 警告：附件“部门整体支出绩效指标完成情况统计表”的各项绩效指标都没有填写"
        "年度指标值、实际完成值、分值或得分，不印出这个附件"
    ]
    lines = text_lines(build(project, "guangzhou", 2023, tmp_path / "out.docx"))
    assert "部门整体支出绩效指标完成情况统计表" not in lines and lines.count("附件") == 1


def test_indicator_table_printed_when_the_format_says_so_without_empty_rows():
    from generator.annex import build_annexes
    from generator.formats import AnnexSpec, FormatSettings
    from generator.schema import AnnexRef

    scores = _scores(
        [
            {
                "name": "甲",
                "weight": 20,
                "indicator_type": "产出指标",
                "score": 20,
                "indicators": [{"name": "阅读量"}, {}, {}],
            }
        ]
    )
    spec = (AnnexSpec(key="indicators", title="统计表"),)
    assert build_annexes(scores, FormatSettings(name="t", annexes=spec), None) == []
    (printed,) = build_annexes(
        scores, FormatSettings(name="t", annexes=spec, empty_annex="print"), (AnnexRef(key="indicators"),)
    )
    # the two indicators the data knows nothing about print no row
    assert [(r.group.text, r.name, r.weight, r.subtotal) for r in printed.rows] == [
        ("产出指标", "阅读量", None, False),
        ("产出指标", "小计", 20, True),
    ]


def test_vertical_merges_per_group(built):
    doc = Document(str(built[("guangzhou", 2023)]))
    evaluation = doc.tables[2]

    def merges(column):
        out = []
        for row in evaluation.rows[1:]:
            tc = row._tr.findall(qn("w:tc"))[column]
            vmerge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
            out.append(None if vmerge is None else vmerge.get(qn("w:val")) or "continue")
        return out

    # 一级: 履职效能 over its three rows and its 小计; 管理效能 alone
    assert merges(0) == ["restart", "continue", "continue", "continue", "restart", None]
    assert "\ue000" not in doc.element.xml and "\ue001" not in doc.element.xml


def _scores(nodes):
    from generator.compute import compute_scores
    from generator.formats import FormatSettings
    from generator.schema import ScoreNode

    return compute_scores([ScoreNode.model_validate(n) for n in nodes], FormatSettings(name="t"))


def test_evaluation_rows_merge_each_level_per_group():
    from generator.annex import evaluation_rows

    scores = _scores(
        [
            {
                "name": "甲",
                "children": [
                    {
                        "name": "甲一",
                        "children": [{"name": "a", "weight": 5, "score": 4}, {"name": "b", "weight": 5, "score": 5}],
                    },
                    {"name": "甲二", "weight": 10, "score": 9},
                ],
            },
            {"name": "乙", "weight": 80, "score": 70},
        ]
    )
    rows = [
        (r.level1.text, r.level1.first, r.level2.text, r.level2.first, r.level3, r.fig.weight, r.fig.score, r.subtotal)
        for r in evaluation_rows(scores)
    ]
    assert rows == [
        ("甲", True, "甲一", True, "a", 5, 4, False),
        ("甲", False, "甲一", False, "b", 5, 5, False),
        ("甲", False, "甲二", True, "", 10, 9, False),
        ("甲", False, "小计", True, "", 20, 18, True),
        ("乙", True, "", True, "", 80, 70, False),
    ]
    assert (scores.total.weight, scores.total.score) == (100, 88)


def test_a_single_annex_has_no_number():
    from generator.annex import build_annexes
    from generator.formats import AnnexSpec, FormatSettings
    from generator.schema import AnnexRef

    settings = FormatSettings(
        name="t",
        annexes=(AnnexSpec(key="self_evaluation", title="自评表"), AnnexSpec(key="indicators", title="统计表")),
    )
    scores = _scores([{"name": "甲", "weight": 100, "score": 90}])
    (alone,) = build_annexes(scores, settings, (AnnexRef(key="self_evaluation"),))
    assert (alone.label, alone.listed, alone.title) == ("附件", "自评表", "自评表")
    # no indicators listed: the 统计表 is left out (format default empty_annex: omit) …
    assert [a.key for a in build_annexes(scores, settings, None)] == ["self_evaluation"]
    # … or printed, when the format says so
    settings = settings.model_copy(update={"empty_annex": "print"})
    both = build_annexes(scores, settings, None)
    assert [(a.label, a.listed) for a in both] == [("附件1", "1. 自评表"), ("附件2", "2. 统计表")]
    # no indicators listed: the 统计表's 合计 is unknown, not 0
    assert (both[1].rows, both[1].total.weight) == ([], None)

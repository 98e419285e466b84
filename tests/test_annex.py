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


def test_an_empty_annex_is_printed_when_the_format_says_so(project, tmp_path):
    """``empty_annex: print``: the 统计表 with no indicator values printed anyway (its title and
    header), numbered with the 自评表; check warns that its cells print blank."""
    from generator.pipeline import build, check

    from .conftest import edit

    data = project.root / "data" / "guangzhou" / "2023.yaml"
    edit(data, "annexes:\n", "annexes:\n  - {key: self_evaluation}\n  - {key: indicators}\n")
    edit(
        project.templates_dir / "guangzhou-2024" / "format.yaml",
        "empty_section: 无。",
        "empty_annex: print\nempty_section: 无。",
    )
    warnings = []
    check(project, "guangzhou", 2023, warnings.append)
    assert [w.message for w in warnings if "附件" in str(w)] == [
        "附件“部门整体支出绩效指标完成情况统计表”的各项绩效指标都没有填写年度指标值、实际完成值、分值或得分，附件中这些格子印为空白"
    ]
    lines = text_lines(build(project, "guangzhou", 2023, tmp_path / "out.docx"))
    assert "附件1" in lines and "附件2" in lines
    assert "部门整体支出绩效指标完成情况统计表" in lines


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


def test_a_single_annex_has_no_number():
    from generator.engine_views import annexes

    defaults = [("self_evaluation", "自评表"), ("indicators", "统计表")]
    (alone,) = annexes(defaults, [("self_evaluation", None)])
    assert (alone.label, alone.listed, alone.title) == ("附件", "自评表", "自评表")
    # an annex with nothing to print is left out; the one left has no number
    assert [(a.key, a.label) for a in annexes(defaults, None, {"indicators"})] == [("self_evaluation", "附件")]
    both = annexes(defaults, None)
    assert [(a.label, a.listed) for a in both] == [("附件1", "1. 自评表"), ("附件2", "2. 统计表")]
    # the data file's order and titles
    renamed = annexes(defaults, [("indicators", "指标表"), ("self_evaluation", None)])
    assert [(a.label, a.listed) for a in renamed] == [("附件1", "1. 指标表"), ("附件2", "2. 自评表")]

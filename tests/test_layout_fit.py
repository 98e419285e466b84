"""The layout step in the .docx: fitted tables, title lines, borders, pagination (no LibreOffice needed)."""

from __future__ import annotations

import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from generator.pipeline import build
from generator.textfit import best_lines, text_em, words, wrap_positions
from generator.title import break_title

from .conftest import edit

TEXT_WIDTH = 8844  # twips: A4 210 mm minus 28 + 26 mm margins


def test_widths_per_character():
    assert text_em("调整金额") == 4
    assert text_em("13,027.62") == pytest.approx(7 * 0.58 + 2 * 0.3)  # digits and punctuation half-width, generously
    assert text_em("（%）") == pytest.approx(2.9)


def test_where_a_table_label_that_must_wrap_may_break():
    def lines(text, width):
        return best_lines(text, max_lines=4, width=width, cuts=wrap_positions(text), min_chars=2)

    assert lines("产出指标", 2) == ["产出", "指标"]  # between words, never 产出指／标
    assert wrap_positions("产出指标") == [2]
    assert lines("服务对象满意度指标", 5) == ["服务对象", "满意度指标"]
    assert lines("组织业务培训人次", 4) == ["组织业务", "培训人次"]  # an unknown run: two characters a side at least
    assert wrap_positions("完成立项课题数") == [2, 4, 5]
    assert wrap_positions("≥800人次") == []  # a figure keeps its sign and unit
    assert wrap_positions("自评等级：优") == [2, 5]  # punctuation stays with the word before it
    assert text_em("≥90%") == pytest.approx(1 + 2 * 0.58 + 0.9)  # CJK fonts print ≥ one em wide


def test_header_words_and_breaks():
    assert words("预算调整率") == ("预算", "调整率")
    assert words("年初结转、结余") == ("年初", "结转、", "结余")
    assert words("权重（%）") == ("权重", "（%）")  # a line may break before an opening bracket
    assert best_lines("实际支出率") == ["实际", "支出率"]
    assert best_lines("年末结转结余", width=6) == ["年末结转结余"]
    assert best_lines("年末结转结余", width=4.5) == ["年末", "结转结余"]
    assert best_lines("基本建设类项目") == ["基本建设类", "项目"]  # equal splits: the longer first line


@pytest.mark.parametrize(
    "title, lines",
    [
        (
            "2023年度中共广州市委网络安全和信息化委员会办公室部门整体支出绩效自评报告",
            ["2023年度中共广州市委", "网络安全和信息化委员会办公室", "部门整体支出绩效自评报告"],
        ),
        (
            "中共邵阳市北塔区委网络安全和信息化委员会办公室2020年度部门整体支出绩效评价报告",
            ["中共邵阳市北塔区委", "网络安全和信息化委员会办公室", "2020年度部门整体支出绩效评价报告"],
        ),
        ("2024年度广州市示例局部门整体支出绩效自评报告", ["2024年度广州市示例局", "部门整体支出绩效自评报告"]),
        ("部门整体绩效自评情况", ["部门整体绩效自评情况"]),
    ],
)
def test_title_lines(title, lines):
    assert break_title(title, 19.6) == lines


def _tables(path):
    return Document(str(path)).element.body.findall(qn("w:tbl"))


def test_tables_fit_the_text_width_and_figures_do_not_wrap(built):
    for key, path in built.items():
        for tbl in _tables(path):
            widths = [int(c.get(qn("w:w"))) for c in tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))]
            assert sum(widths) == TEXT_WIDTH, key
            assert len(set(widths)) > 1 or len(widths) == 1, key  # never equal columns by default
            first = tbl.find(qn("w:tr"))
            assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None, key  # header row repeats
    spending = _tables(built[("guangzhou", 2023)])[0]
    for tc in spending.iter(qn("w:tc")):
        text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
        if text[:1].isdigit():
            assert tc.find(f"{qn('w:tcPr')}/{qn('w:noWrap')}") is not None, text
    # headers that do not fit on one line break between words, by an explicit line break
    headers = ["/".join(t.text for t in tc.iter(qn("w:t"))) for tc in spending.findall(f"{qn('w:tr')}/{qn('w:tc')}")]
    assert "按支出性质分类" in headers
    broken = [h for h in headers if "/" in h]
    assert all(h in ("年初/预算数", "调整/金额", "预算/调整率", "实际/支出率") for h in broken), broken


def test_no_rule_under_the_title_and_no_default_blue(built):
    for key, path in built.items():
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.endswith(".xml"):
                    data = z.read(name).decode("utf-8")
                    assert "pBdr" not in data and "4f81bd" not in data.lower(), (key, name)


def test_headings_captions_and_unit_lines_keep_with_next(built):
    doc = Document(str(built[("beita", 2020)]))
    for p in doc.paragraphs:
        name = p.style.name
        if name.startswith(("Heading", "Caption", "Table Unit")) and p.text.strip():
            assert p._p.pPr.find(qn("w:keepNext")) is not None, p.text


def test_title_lines_from_the_data(project, tmp_path):
    data = project.root / "data" / "guangzhou" / "2023.yaml"
    edit(
        data,
        "format: guangzhou-2024\n",
        "format: guangzhou-2024\ntitle_lines: [2023年度中共广州市委网络安全和, 信息化委员会办公室, 部门整体支出绩效自评报告]\n",
    )
    out = build(project, "guangzhou", 2023, tmp_path / "a.docx")
    title = Document(str(out)).paragraphs[0]._p
    pieces = [el.text if el.tag == qn("w:t") else "|" for el in title.iter(qn("w:t"), qn("w:br"))]
    assert "".join(pieces) == "2023年度中共广州市委网络安全和|信息化委员会办公室|部门整体支出绩效自评报告"


def test_title_lines_must_join_to_the_title(project, tmp_path, cli_runner):
    from generator.cli import main

    data = project.root / "data" / "guangzhou" / "2023.yaml"
    edit(
        data,
        "format: guangzhou-2024\n",
        "format: guangzhou-2024\ntitle_lines: [2023年度中共广州市委, 部门整体支出绩效自评报告]\n",
    )
    line = (
        data.read_text(encoding="utf-8")
        .splitlines()
        .index("title_lines: [2023年度中共广州市委, 部门整体支出绩效自评报告]")
        + 1
    )
    out = cli_runner.invoke(
        main, ["build", "guangzhou", "2023", "--root", str(project.root), "-o", str(tmp_path / "b.docx")]
    )
    assert out.exit_code == 1
    assert (
        f"{data}:{line}: title_lines: 各行连起来是“2023年度中共广州市委部门整体支出绩效自评报告”，"
        "与报告标题“2023年度中共广州市委网络安全和信息化委员会办公室部门整体支出绩效自评报告”不一致"
        "（只能在标题中间分行，不能增删改字）"
    ) in out.output
    assert not (tmp_path / "b.docx").exists()


def test_an_empty_section_without_a_filler_is_a_warning(project, tmp_path):
    fmt = project.root / "templates" / "zhanjiang" / "format.yaml"
    edit(fmt, "empty_section: 无。", "")
    warnings = []
    out = build(project, "zhanjiang", 2021, tmp_path / "z.docx", warnings.append)
    data = project.root / "data" / "zhanjiang" / "2021.yaml"
    assert [str(w) for w in warnings] == [
        f"{data}: text: 警告：标题“四、其他自评情况”下面没有内容（格式没有规定 empty_section 要印的文字），请补写或删去这一节"
    ]
    texts = [p.text for p in Document(str(out)).paragraphs if p.text.strip()]
    assert texts[-1] == "四、其他自评情况"


def test_an_empty_section_gets_the_formats_filler(built):
    texts = [p.text for p in Document(str(built[("zhanjiang", 2021)])).paragraphs if p.text.strip()]
    assert texts[-2:] == ["四、其他自评情况", "无。"]


def test_check_refuses_title_lines_that_are_not_the_title(project):
    from generator.errors import DataError
    from generator.pipeline import check

    data = project.root / "data" / "guangzhou" / "2023.yaml"
    edit(
        data,
        "format: guangzhou-2024\n",
        "format: guangzhou-2024\ntitle_lines: [2023年度中共广州市委, 网信办部门整体支出绩效自评报告]\n",
    )
    with pytest.raises(DataError) as caught:
        check(project, "guangzhou", 2023)
    assert str(caught.value) == (
        f"{data}:6: title_lines: 各行连起来是“2023年度中共广州市委网信办部门整体支出绩效自评报告”，"
        "与报告标题“2023年度中共广州市委网络安全和信息化委员会办公室部门整体支出绩效自评报告”不一致"
        "（只能在标题中间分行，不能增删改字）"
    )
    edit(
        data,
        "title_lines: [2023年度中共广州市委, 网信办部门整体支出绩效自评报告]",
        "title_lines: [2023年度中共广州市委网络安全和信息化委员会办公室部门整体支出绩效自评报告]",
    )
    with pytest.raises(DataError, match="一行放不下"):
        check(project, "guangzhou", 2023)


def test_signature_placed_as_gbt_9704_says(built):
    """署名 right-indented two characters; the date's first character two characters right of the name's."""
    doc = Document(str(built[("beita", 2020)]))
    name, date = [p for p in doc.paragraphs if p.style.name == "Signature"]
    right = [int(p._p.pPr.find(qn("w:ind")).get(qn("w:right"))) / 20 / 16 for p in (name, date)]  # in characters
    assert right[0] == 2
    assert (name.text, date.text) == ("北塔区委网络安全和信息化委员会办公室", "2021年8月26日")
    # the date's first character starts where the name's starts plus two characters
    assert right[1] + text_em(date.text) == pytest.approx(right[0] + text_em(name.text) - 2, abs=0.05)

"""A format none of the five: 四川省财政厅's 部门整体支出绩效自评报告, written from docs/新增格式.md alone.

examples/formats/sichuan-province/ holds format.yaml, template.docx (made by make_template.py beside
it) and a 2023 data file. Here it is laid out as a project in tmp_path (templates/<fmt>/,
data/<dept>/<year>.yaml, the shared templates/_base/) and built with the CLI; every computed cell
of its tables is compared with values worked out by hand in the comments.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from generator.cli import main
from generator.extract import tables, text_lines

from .conftest import ROOT, example_project

FOLDER = ROOT / "examples" / "formats" / "sichuan-province"
SLUG = "sichuan-province"


def lay_out(root: Path) -> Path:
    """The example as a project under root; returns the data file."""
    return example_project(root, SLUG, "shilting")


def run(cli_runner, *args: str):
    return cli_runner.invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("unseen")
    lay_out(root)
    result = run(CliRunner(), "build", "shilting", "2023", "--root", str(root))
    assert result.exit_code == 0, result.output
    return root / "build" / "shilting-2023.docx"


def test_budget_execution_table_every_cell(built):
    # 4015.36 / 4120.78 = 97.4417%; 268.40 / 312.50 = 85.888%; 38.75 / 52.30 = 74.0918%
    # totals 3901.42 / 4485.58 / 4322.51; 4322.51 / 4485.58 = 96.3646%
    assert tables(built)[0] == [
        ["资金来源", "年初预算数", "全年预算数", "全年执行数", "执行率"],
        ["当年财政拨款", "3,856.42", "4,120.78", "4,015.36", "97.44%"],
        ["上年结转资金", "0.00", "312.50", "268.40", "85.89%"],
        ["其他资金", "45.00", "52.30", "38.75", "74.09%"],
        ["年度资金总额", "3,901.42", "4,485.58", "4,322.51", "96.36%"],
    ]


def test_spending_shares_every_cell(built):
    # 基本 2516.83 + 398.27 = 2915.10, 项目 612.30 + 795.11 = 1407.41, 合计 4322.51
    # 2915.10 / 4322.51 = 67.43998%, 1407.41 / 4322.51 = 32.56002%
    # 2516.83 / 2915.10 = 86.3377%, 398.27 / 2915.10 = 13.6623%
    # 612.30 / 1407.41 = 43.5054%, 795.11 / 1407.41 = 56.4946%
    assert tables(built)[1] == [
        ["支出项目", "支出金额", "占比"],
        ["一、基本支出", "2,915.10", "67.44%"],
        ["人员经费", "2,516.83", "86.34%"],
        ["公用经费", "398.27", "13.66%"],
        ["二、项目支出", "1,407.41", "32.56%"],
        ["信息化建设运维", "612.30", "43.51%"],
        ["业务工作经费", "795.11", "56.49%"],
        ["支出合计", "4,322.51", "100.00%"],
    ]


def test_annex_budget_rows_and_execution_score(built):
    # prorate(96.3646%, 10) = 9.636457 → 9.64
    assert tables(built)[2][-1] == ["年度资金总额", "3,901.42", "4,485.58", "4,322.51", "96.36%", "10", "9.64"]
    assert tables(built)[2][1] == ["当年财政拨款", "3,856.42", "4,120.78", "4,015.36", "97.44%", "", ""]


def test_indicator_grid_every_cell(built):
    # ≥: min(actual / target, 1); ≤: 1 when actual ≤ target; =: 1 − |actual − target| / target
    # 13/12 → 1 → 10; 736/800 = 0.92 → 9.2; 100/95 → 1 → 10; 85.5/90 = 0.95 → 9.5; 398.27 ≤ 420 → 10
    # 产出 10 + 9.2 + 10 + 9.5 + 10 = 48.7
    # 定性 评定 10; 88.6/85 → 1 → 10; 1 − 7/365 = 0.9808219 → 9.808219 → 9.81; 效益 29.808219 → 29.81
    # 87.3/90 = 0.97 → 9.7 (满意度 has one row: no 小计)
    # 指标 88.208219 + 预算执行 9.636457 = 97.844676 → 97.84 → 优; 分值 90 + 10 = 100
    reason = "下半年两期培训因场地调整合并举办，参训人次减少"
    assert tables(built)[3] == [
        ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "偏差原因分析"],
        ["产出指标", "数量指标", "完成立项课题数", "≥12个", "13个", "10", "10", ""],
        ["", "", "组织业务培训人次", "≥800人次", "736人次", "10", "9.2", reason],
        ["", "质量指标", "课题验收合格率", "≥95%", "100%", "10", "10", ""],
        [
            "",
            "时效指标",
            "项目按期完成率",
            "≥90%",
            "85.5%",
            "10",
            "9.5",
            "信息化建设运维项目招标延后，两个子项目跨年完成",
        ],
        ["", "成本指标", "公用经费支出", "≤420万元", "398.27万元", "10", "10", ""],
        ["", "小计", "", "", "", "50", "48.7", ""],
        ["效益指标", "社会效益指标", "行业政策文件出台", "按计划印发", "印发 3 件", "10", "10", ""],
        ["", "", "政策知晓率", "≥85%", "88.6%", "10", "10", ""],
        ["", "可持续影响指标", "信息系统运行天数", "=365天", "358天", "10", "9.81", "9 月机房搬迁停机 7 天"],
        ["", "小计", "", "", "", "30", "29.81", ""],
        [
            "满意度指标",
            "服务对象满意度指标",
            "服务对象满意度",
            "≥90%",
            "87.3%",
            "10",
            "9.7",
            "基层单位对培训安排的满意度偏低",
        ],
        ["合计", "", "", "", "", "100", "97.84", "自评等级：优"],
    ]


def test_outline_and_conclusion(built):
    lines = text_lines(built)
    assert lines[0] == "2023年度四川省示例厅部门整体支出绩效自评报告"
    headings = [line for line in lines if re.match(r"^[一二三四五六]、", line) and " | " not in line]
    assert headings == [
        "一、部门基本情况",
        "二、绩效目标及完成情况",
        "三、绩效自评结论",
        "四、存在的问题及原因",
        "五、下一步改进措施",
        "六、自评结果应用",
    ]
    assert (
        "经自评，省示例厅2023年度部门整体支出绩效自评得分97.84分（满分100分），自评等级为“优”。"
        "其中，预算执行率96.36%，得9.64分（分值10分）；绩效指标得88.21分（分值90分）。自评情况详见附件。"
    ) in lines
    # 88.208219 / 90 = 98.0091%
    assert any(line.endswith("绩效指标合计得分88.21分，得分率98.01%。") for line in lines)
    assert "全年预算执行率96.36%，上年结转资金执行率85.89%，结转资金未能在年内全部使用。" in lines
    assert "附件：部门整体支出绩效自评表" in lines
    assert lines[lines.index("附件：部门整体支出绩效自评表") + 1 :][:2] == ["四川省示例厅", "2024年4月15日"]


def test_audit_finds_the_truncated_scores(tmp_path, cli_runner):
    lay_out(tmp_path)
    result = run(cli_runner, "audit", "shilting", "2023", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "附件自评表 年度资金总额 得分：报告为 9.63，按数据计算为 9.64（舍入差异：报告按截尾取数" in result.output
    assert "信息系统运行天数 得分：报告为 9.80，按数据计算为 9.81（舍入差异" in result.output
    assert result.output.rstrip().endswith("核对 7 个数字：5 个一致，2 个舍入差异，0 个错误")


def test_a_missing_qualitative_score_is_refused(tmp_path, cli_runner):
    # checks: a qualitative indicator (standard written) requires stated_score: missing(x); its parents'
    # scores, undefined with it, are not flagged again
    data = lay_out(tmp_path)
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace(", weight: 10, stated_score: 10}", ", weight: 10}"), encoding="utf-8")
    result = run(cli_runner, "check", "shilting", "2023", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{data}:56: indicators[1].children[0].children[0].stated_score"
        "（效益指标 › 社会效益指标 › 行业政策文件出台 › 评定得分）: “行业政策文件出台”是定性指标，请写评定得分 stated_score",
        "1 个文件有错误",
    ]


def test_a_quantitative_indicator_without_its_figures_is_refused(tmp_path, cli_runner):
    data = lay_out(tmp_path)
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("measure: 天, actual: 358, ", "measure: 天, "), encoding="utf-8")
    result = run(cli_runner, "check", "shilting", "2023", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{data}:60: indicators[1].children[1].children[0].actual"
        "（效益指标 › 可持续影响指标 › 信息系统运行天数 › 实际完成值）: “信息系统运行天数”得分无法计算："
        "定量指标请写指标性质 nature、指标值 target 和实际完成值 actual（定性指标请写指标值（定性）standard 和评定得分 stated_score）",
        "1 个文件有错误",
    ]


def test_spending_that_does_not_add_up_is_warned(tmp_path, cli_runner):
    # a check without table: over two tables' totals, told at the spending table's line
    data = lay_out(tmp_path)
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("amount: 795.11", "amount: 795.01"), encoding="utf-8")
    result = run(cli_runner, "check", "shilting", "2023", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    # 4322.51 − 0.10 = 4322.41
    assert result.output.splitlines() == [
        f"{data}:25: spending（支出结构）: 警告：支出结构的支出合计 4,322.41 与年度预算执行情况的全年执行数 4,322.51 不等，请核对",
        f"{data}: 通过（1 条警告）",
    ]


def test_schema_validates_the_data_file_and_rejects_a_broken_one(tmp_path, cli_runner):
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema 未安装")
    data = lay_out(tmp_path)
    result = run(cli_runner, "schema", SLUG, "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert (FOLDER / "schema.json").read_text(encoding="utf-8") == result.output, (
        f"examples/formats/{SLUG}/schema.json 已过时：按 examples/formats/{SLUG}/README.md 重新生成"
    )
    validator = jsonschema.Draft202012Validator(schema)
    content = json.loads(json.dumps(yaml.safe_load(data.read_text(encoding="utf-8")), default=str))
    assert list(validator.iter_errors(content)) == []
    content["funding"][0]["spent"] = "4015.36万元"
    content["indicators"][0]["children"][0]["children"][0]["nature"] = "≈"
    assert len(list(validator.iter_errors(content))) == 2


def test_template_is_the_one_its_script_makes(tmp_path):
    pytest.importorskip("docx", reason="python-docx 未安装")
    script = tmp_path / "make_template.py"
    shutil.copy2(FOLDER / "make_template.py", script)
    subprocess.run([sys.executable, str(script)], check=True, cwd=tmp_path)

    def body(path: Path) -> bytes:
        with zipfile.ZipFile(path) as z:
            return z.read("word/document.xml")

    assert body(tmp_path / "template.docx") == body(FOLDER / "template.docx")


def test_the_indicator_table_fits_the_text_width_with_its_labels_broken_between_words(built):
    """generator/tablefit: eight columns do not fit A4 portrait with every label on one line, even in 五号
    (10,156 twips against 8,844); labels then wrap between words, figures never."""
    import docx

    tbl = docx.Document(str(built)).tables[3]._tbl
    grid = [int(c.get(qn("w:w"))) for c in tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))]
    assert sum(grid) == 8844  # A4 210 mm minus 28 + 26 mm margins
    broken, whole = {}, set()
    for tc in tbl.iter(qn("w:tc")):
        pieces = [""]
        for el in tc.iter(qn("w:t"), qn("w:br")):
            if el.tag == qn("w:br"):
                pieces.append("")
            else:
                pieces[-1] += el.text or ""
        text = "".join(pieces)
        if len(pieces) > 1:
            broken[text] = pieces
        elif text:
            whole.add(text)
        if re.fullmatch(r"[≥≤=]?[\d.,]+(%|个|人次|天|万元)?", text):  # a figure: one line, never wrapped
            assert len(pieces) == 1 and tc.find(f"{qn('w:tcPr')}/{qn('w:noWrap')}") is not None, text
    assert {"产出指标", "效益指标", "数量指标", "质量指标", "时效指标", "成本指标"} <= whole  # 4 characters: whole
    assert broken["组织业务培训人次"] == ["组织业务", "培训人次"]
    assert broken["服务对象满意度指标"] == ["服务对象", "满意度指标"]
    assert all(len(line) >= 2 for lines in broken.values() for line in lines), broken


@pytest.mark.libreoffice
def test_pages_fit(built, tmp_path):
    from generator.layout import load_layout
    from generator.pagecheck import check_pdf
    from generator.preview import soffice, to_pdf

    if soffice() is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) 或 pdftotext 未安装：apt-get install libreoffice-writer-nogui poppler-utils")
    pdf = to_pdf(built, tmp_path, ROOT / "templates" / "_base" / "fonts.conf")
    assert [str(p) for p in check_pdf(pdf, built, load_layout(ROOT / "templates"))] == []
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    # four pages of report, the 自评表 on one page of its own
    assert re.search(r"^Pages:\s+5$", info, re.M)


def test_a_table_too_wide_even_in_small_styles_gets_the_margins_its_widths_assume(tmp_path, cli_runner):
    """generator/tablefit: the 自评表 typed in the 五号 styles (Table Text Small …) does not fit even with
    narrow cell margins; its columns get the minimum widths computed for those margins, so the table
    must get those margins too, or LibreOffice breaks 97.84 into 97.8 / 4 (seen on the page)."""
    import docx

    lay_out(tmp_path)
    template = tmp_path / "templates" / SLUG / "template.docx"
    document = docx.Document(str(template))
    names = {s.name for s in document.styles}
    for row in document.tables[3].rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                small = p.style.name + " Small"
                if small not in names:  # as a clerk adds it in Word: 新建样式, the name from layout.yaml
                    document.styles.add_style(small, WD_STYLE_TYPE.PARAGRAPH).base_style = document.styles["Normal"]
                    names.add(small)
                p.style = document.styles[small]
    document.save(str(template))
    result = run(cli_runner, "build", "shilting", "2023", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    built = docx.Document(str(tmp_path / "build" / "shilting-2023.docx"))
    tbl = built.tables[3]._tbl
    assert {p.style.name for p in built.tables[3].rows[1].cells[6].paragraphs} == {"Table Number Small"}
    margins = tbl.tblPr.find(qn("w:tblCellMar"))
    assert margins is not None
    assert [margins.find(qn(f"w:{side}")).get(qn("w:w")) for side in ("left", "right")] == ["57", "57"]


def test_schema_needs_only_format_yaml(tmp_path, cli_runner):
    # a template author writes format.yaml first and wants the editor's completion before template.docx exists
    lay_out(tmp_path)
    (tmp_path / "templates" / SLUG / "template.docx").unlink()
    result = run(cli_runner, "schema", SLUG, "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.output == (FOLDER / "schema.json").read_text(encoding="utf-8")
    build = run(cli_runner, "build", "shilting", "2023", "--root", str(tmp_path))
    assert build.exit_code == 1
    assert "template: 模板文件 template.docx 不在 format.yaml 所在的文件夹里" in build.output


def landscape_annex(template: Path, word_sizes: bool = True) -> None:
    """The annex in a section of its own, set landscape as a clerk does in Word (页面布局 → 分隔符 → 下一页,
    纸张方向 → 横向): the report's section ends at the last signature line. ``word_sizes``: the page
    size swapped too, as Word writes it; else only ``w:orient`` set (the dimensions still portrait)."""
    import copy

    import docx

    document = docx.Document(str(template))
    body = document.element.body
    label = next(
        p
        for p in body.iterchildren(qn("w:p"))
        if "".join(t.text or "" for t in p.iter(qn("w:t"))).strip() == ("{{ annex.self_eval.label }}")
    )
    final = body.find(qn("w:sectPr"))
    label.getprevious().get_or_add_pPr().append(copy.deepcopy(final))
    size = final.find(qn("w:pgSz"))
    if word_sizes:
        size.set(qn("w:w"), "16838")
        size.set(qn("w:h"), "11906")
    size.set(qn("w:orient"), "landscape")
    document.save(str(template))


def test_landscape_page_is_the_portrait_page_turned():
    from generator.layout import load_layout
    from generator.sections import landscape_page

    page = load_layout(ROOT / "templates")["page"]
    turned = landscape_page(page)
    # the text block stays where it is on the sheet: 225 × 156 mm, its top to the binding edge (订口 28 mm)
    assert [float(turned[k]) for k in ("width_mm", "height_mm", "top_mm", "bottom_mm", "left_mm", "right_mm")] == [
        297,
        210,
        28,
        26,
        35,
        37,
    ]
    assert float(turned["footer_mm"]) == 19  # the page number 7 mm below the text block, as on a portrait page


@pytest.mark.parametrize("word_sizes", [True, False], ids=["as-word-writes-it", "orient-only"])
def test_a_landscape_annex_stays_landscape_and_its_tables_get_its_width(tmp_path, cli_runner, word_sizes):
    import docx

    lay_out(tmp_path)
    landscape_annex(tmp_path / "templates" / SLUG / "template.docx", word_sizes)
    result = run(cli_runner, "build", "shilting", "2023", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    built = docx.Document(str(tmp_path / "build" / "shilting-2023.docx"))

    def attrs(section, tag, names):
        el = section._sectPr.find(qn(tag))
        return [el.get(qn(f"w:{n}")) for n in names]

    report, annex = built.sections
    assert attrs(report, "w:pgSz", ("w", "h", "orient")) == ["11906", "16838", None]
    assert attrs(annex, "w:pgSz", ("w", "h", "orient")) == ["16838", "11906", "landscape"]
    # 28, 26, 35, 37 mm; footer 19 mm (twips)
    margins = ("top", "bottom", "left", "right", "footer")
    assert attrs(annex, "w:pgMar", margins) == ["1587", "1474", "1984", "2098", "1077"]
    assert attrs(report, "w:pgMar", margins) == ["2098", "1984", "1587", "1474", "1587"]

    def width(table):
        return sum(int(c.get(qn("w:w"))) for c in table._tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol")))

    assert [width(t) for t in built.tables] == [8844, 8844, 12755, 12755]  # 297 − 35 − 37 = 225 mm
    grid = built.tables[3]._tbl
    assert grid.find(f".//{qn('w:br')}") is None  # 225 mm: every label on one line, no wrapping needed
    styles = {p.style.name for row in built.tables[3].rows for c in row.cells for p in c.paragraphs}
    assert styles == {"Table Header", "Table Text", "Table Number"}  # 小四 still: no need of the 五号 styles


@pytest.mark.libreoffice
def test_a_landscape_annex_prints_landscape_within_its_margins(tmp_path, cli_runner):
    from generator.layout import load_layout
    from generator.pagecheck import check_pdf
    from generator.preview import soffice, to_pdf

    if soffice() is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) 或 pdftotext 未安装：apt-get install libreoffice-writer-nogui poppler-utils")
    lay_out(tmp_path)
    landscape_annex(tmp_path / "templates" / SLUG / "template.docx")
    result = run(cli_runner, "build", "shilting", "2023", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    built = tmp_path / "build" / "shilting-2023.docx"
    pdf = to_pdf(built, tmp_path / "pdf", ROOT / "templates" / "_base" / "fonts.conf")
    assert [str(p) for p in check_pdf(pdf, built, load_layout(ROOT / "templates"))] == []
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True, check=True)
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info.stdout, re.M)
    turned = ["landscape" if float(w) > float(h) else "portrait" for w, h in sizes]
    # four pages of report; the annex on landscape pages (the 自评表 runs onto a second, its header repeated)
    assert turned == ["portrait"] * 4 + ["landscape"] * 2

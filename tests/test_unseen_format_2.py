"""A second format none of the others: a 浙江省区县财政局 outline (from memory), written from
docs/新增格式.md and README.md alone.

examples/formats/zhejiang-district/ holds format.yaml, template.docx (made by make_template.py beside
it) and a 2024 data file: income by source and spending by function class with last year's figures
and 增减率, per-project execution rates, indicators with 年度目标值/实际完成值/完成率, a grade from bands.
Laid out as a project in tmp_path and built with the CLI; every computed cell is compared with values
worked out by hand in the comments (Decimal, half-up to 0.01%).
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

from generator.cli import main
from generator.extract import tables, text_lines

from .conftest import ROOT, example_project

FOLDER = ROOT / "examples" / "formats" / "zhejiang-district"
SLUG = "zhejiang-district"


def lay_out(root: Path) -> Path:
    """The example as a project under root; returns the data file."""
    return example_project(root, SLUG, "shiliju")


def run(cli_runner, *args: str):
    return cli_runner.invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("unseen2")
    lay_out(root)
    result = run(CliRunner(), "build", "shiliju", "2024", "--root", str(root))
    assert result.exit_code == 0, result.output
    return root / "build" / "shiliju-2024.docx"


def test_income_by_source_every_cell(built):
    # (3012.75 − 2856.40) / 2856.40 = 5.4737%; (365.50 − 420) / 420 = −12.9762%;
    # (86.30 − 118.62) / 118.62 = −27.2467%; (15.80 − 12.35) / 12.35 = 27.9352%
    # totals 3407.37 → 3480.35: 72.98 / 3407.37 = 2.1418%
    assert tables(built)[0] == [
        ["收入来源", "上年决算数", "本年决算数", "增减率"],
        ["一般公共预算拨款", "2,856.40", "3,012.75", "5.47%"],
        ["政府性基金预算拨款", "420.00", "365.50", "-12.98%"],
        ["上年结转", "118.62", "86.30", "-27.25%"],
        ["其他收入", "12.35", "15.80", "27.94%"],
        ["收入合计", "3,407.37", "3,480.35", "2.14%"],
    ]


def test_spending_by_function_class_every_cell(built):
    # 655.93 / 668.20 = 98.1637%, (655.93 − 612.48) / 612.48 = 7.0941%
    # 298.62 / 301.40 = 99.0776%, 12.47 / 286.15 = 4.3578%
    # 102.85 / 104.60 = 98.3270%, 4.55 / 98.30 = 4.6287%
    # 2186.44 / 2275.10 = 96.1030%, 33.67 / 2152.77 = 1.5640%
    # 157.36 / 158.00 = 99.5949%, 11.16 / 146.20 = 7.6334%
    # totals 3295.90 / 3507.30 / 3401.20: 96.9758%, 105.30 / 3295.90 = 3.1949%
    assert tables(built)[1] == [
        ["科目编码", "功能分类", "上年决算数", "本年预算数", "本年决算数", "执行率", "增减率"],
        ["201", "一般公共服务支出", "612.48", "668.20", "655.93", "98.16%", "7.09%"],
        ["208", "社会保障和就业支出", "286.15", "301.40", "298.62", "99.08%", "4.36%"],
        ["210", "卫生健康支出", "98.30", "104.60", "102.85", "98.33%", "4.63%"],
        ["212", "城乡社区支出", "2,152.77", "2,275.10", "2,186.44", "96.10%", "1.56%"],
        ["221", "住房保障支出", "146.20", "158.00", "157.36", "99.59%", "7.63%"],
        ["", "支出合计", "3,295.90", "3,507.30", "3,401.20", "96.97%", "3.19%"],
    ]


def test_projects_every_cell(built):
    # 1236.58 / 1280 = 96.6078%; 471.20 / 486.50 = 96.8551%; 157.36 / 158 = 99.5949%;
    # 72.40 / 96 = 75.4167%; 17.95 / 18.60 = 96.5054%; 1955.49 / 2039.10 = 95.8997%
    assert tables(built)[2] == [
        ["项目名称", "预算数", "执行数", "执行率", "未执行原因"],
        ["老旧小区改造补助", "1,280.00", "1,236.58", "96.61%", ""],
        ["城市道路养护", "486.50", "471.20", "96.86%", ""],
        ["保障性住房租赁补贴", "158.00", "157.36", "99.59%", ""],
        ["建筑市场监管信息化", "96.00", "72.40", "75.42%", "部分模块验收延至次年"],
        ["物业管理培训", "18.60", "17.95", "96.51%", ""],
        ["合计", "2,039.10", "1,955.49", "95.90%", ""],
    ]


def test_indicators_and_scores_every_cell(built):
    # 86.4 / 85 = 101.6471%; 1463 / 1500 = 97.5333%; 96.2 / 95 = 101.2632%; 92.5 / 90 = 102.7778%
    assert tables(built)[3] == [
        ["绩效指标", "指标类别", "计量单位", "年度目标值", "实际完成值", "完成率"],
        ["老旧小区改造开工数", "产出指标", "个", "12", "12", "100.00%"],
        ["城市道路养护面积", "产出指标", "万平方米", "85", "86.4", "101.65%"],
        ["租赁补贴发放户数", "产出指标", "户", "1500", "1463", "97.53%"],
        ["道路完好率", "效益指标", "%", "95", "96.2", "101.26%"],
        ["群众满意度", "满意度指标", "%", "90", "92.5", "102.78%"],
    ]
    # 14 / 15 = 93.3333%; 22.5 / 25 = 90%; 28.2 / 30 = 94%; 27.5 / 30 = 91.6667%; 92.2 / 100
    assert tables(built)[4] == [
        ["评价内容", "分值", "得分", "得分率"],
        ["决策", "15", "14", "93.33%"],
        ["过程", "25", "22.5", "90.00%"],
        ["产出", "30", "28.2", "94.00%"],
        ["效益", "30", "27.5", "91.67%"],
        ["合计", "100", "92.2", "92.20%"],
    ]


def test_outline_sentences_and_signature(built):
    lines = text_lines(built)
    assert lines[0] == "区住房和城乡建设示例局2024年度部门整体支出绩效自评报告"
    headings = [x for x in lines if re.match(r"^[一二三四五六]、", x)]
    assert headings == [
        "一、部门基本情况",
        "二、部门预算收支情况",
        "三、项目支出执行情况",
        "四、绩效目标完成情况",
        "五、自评得分及等级",
        "六、存在的问题和改进措施",
    ]
    assert "2024年度收入合计3,480.35万元，比上年3,407.37万元增长2.14%。各项收入见表1。" in lines
    assert "2024年度共实施项目5个，预算数2,039.10万元，执行数1,955.49万元，执行率95.90%。各项目执行情况见表3。" in lines
    assert any("自评总分92.2分，等级为“优”" in x for x in lines)
    assert lines[-2:] == ["区住房和城乡建设示例局", "2025年3月28日"]


def test_a_falling_total_reads_as_a_fall(tmp_path, cli_runner):
    # the template words the sign: 上年 3407.37 → 3380.35 is −27.02 / 3407.37 = −0.7930%
    data = lay_out(tmp_path)
    data.write_text(data.read_text(encoding="utf-8").replace("current: 3012.75", "current: 2912.75"), encoding="utf-8")
    result = run(cli_runner, "build", "shiliju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    lines = text_lines(tmp_path / "build" / "shiliju-2024.docx")
    assert "2024年度收入合计3,380.35万元，比上年3,407.37万元下降0.79%。各项收入见表1。" in lines


def test_audit_finds_the_truncated_rate(tmp_path, cli_runner):
    lay_out(tmp_path)
    result = run(cli_runner, "audit", "shiliju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "表1 上年结转 增减率：报告为 -27.24%，按数据计算为 -27.25%（舍入差异：报告按截尾取数" in result.output
    assert result.output.rstrip().endswith("核对 7 个数字：6 个一致，1 个舍入差异，0 个错误")


def test_a_score_over_its_weight_is_refused(tmp_path, cli_runner):
    # with an error, the checks: warning is listed too; the warn: on the execution rate is not (yet)
    data = lay_out(tmp_path)
    text = data.read_text(encoding="utf-8")
    text = text.replace("weight: 15, score: 14}", "weight: 15, score: 16}")
    text = text.replace("actual: 2186.44}", "actual: 2286.44}")  # 3501.20 > 3480.35
    data.write_text(text, encoding="utf-8")
    result = run(cli_runner, "check", "shiliju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{data}:13: spending（支出情况）: 警告：支出合计 3,501.20 超过收入合计 3,480.35，请核对",
        f"{data}:32: scores[0].score（决策 › 得分）: “决策”得分 16 超过分值 15",
        "1 个文件有错误",
    ]


def test_overspending_is_warned(tmp_path, cli_runner):
    # 2286.44 / 2275.10 = 100.4984%: over the warn: {max: 100}; 3501.20 over the income 3480.35
    data = lay_out(tmp_path)
    text = data.read_text(encoding="utf-8").replace("actual: 2186.44}", "actual: 2286.44}")
    data.write_text(text, encoding="utf-8")
    result = run(cli_runner, "check", "shiliju", "2024", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert sorted(result.output.splitlines()) == sorted(
        [
            f"{data}: 通过（2 条警告）",
            f"{data}:13: spending（支出情况）: 警告：支出合计 3,501.20 超过收入合计 3,480.35，请核对",
            f"{data}:17: spending[3].rate（城乡社区支出 › 执行率）: 警告：100.50%超过 100%，请核对",
        ]
    )


def test_schema_is_current_and_validates_the_data_file(tmp_path, cli_runner):
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema 未安装")
    data = lay_out(tmp_path)
    result = run(cli_runner, "schema", SLUG, "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (FOLDER / "schema.json").read_text(encoding="utf-8") == result.output, (
        f"examples/formats/{SLUG}/schema.json 已过时：按 examples/formats/{SLUG}/README.md 重新生成"
    )
    validator = jsonschema.Draft202012Validator(json.loads(result.output))
    content = json.loads(json.dumps(yaml.safe_load(data.read_text(encoding="utf-8")), default=str))
    assert list(validator.iter_errors(content)) == []
    content["indicators"][0]["kind"] = "成本指标"
    assert len(list(validator.iter_errors(content))) == 1


def test_template_is_the_one_its_script_makes(tmp_path):
    script = tmp_path / "make_template.py"
    shutil.copy2(FOLDER / "make_template.py", script)
    subprocess.run([sys.executable, str(script)], check=True, cwd=tmp_path)

    def body(path: Path) -> bytes:
        with zipfile.ZipFile(path) as z:
            return z.read("word/document.xml")

    assert body(tmp_path / "template.docx") == body(FOLDER / "template.docx")


@pytest.mark.libreoffice
def test_pages_fit(built, tmp_path):
    from generator.layout import load_layout
    from generator.pagecheck import check_pdf
    from generator.preview import soffice, to_pdf

    if soffice() is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) 或 pdftotext 未安装：apt-get install libreoffice-writer-nogui poppler-utils")
    pdf = to_pdf(built, tmp_path, ROOT / "templates" / "_base" / "fonts.conf")
    assert [str(p) for p in check_pdf(pdf, built, load_layout(ROOT / "templates"))] == []
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    last = [page for page in out.stdout.split("\f") if page.strip()][-1].replace("\n", "")
    # the signature (署名 and 成文日期) shares its page with the last paragraphs of the body
    assert "强化绩效评价结果运用。" in last and "2025 年 3 月 28 日" in last


def test_name_cells_print_on_one_line(built):
    # 社会保障和就业支出 (表2, 五号 10.5 pt) and 老旧小区改造开工数 (表4, 小四 12 pt) printed as 支／出 and 工／数
    # once: each cell is now wide enough for its nine characters (one em each) plus Table Grid's
    # 108 + 108 twips of cell margins, taken from columns with room, with no line break in it.
    from lxml import etree

    from generator.layout import load_layout
    from generator.qnames import qn

    styles = load_layout(ROOT / "templates")["styles"]
    sizes = {"TableText": styles["Table Text"]["size_pt"], "TableTextSmall": styles["Table Text Small"]["size_pt"]}
    with zipfile.ZipFile(built) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    found = {}
    for tc in body.iter(qn("w:tc")):
        text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
        if text in ("社会保障和就业支出", "老旧小区改造开工数"):
            style = tc.find(f"{qn('w:p')}/{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val"))
            width = int(tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}").get(qn("w:w")))
            assert tc.find(f".//{qn('w:br')}") is None
            found[text] = (style, width - 216 >= len(text) * sizes[style] * 20)
    assert found == {"社会保障和就业支出": ("TableTextSmall", True), "老旧小区改造开工数": ("TableText", True)}

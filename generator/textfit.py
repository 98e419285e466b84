"""Measuring and breaking short Chinese texts (table headers, titles) between words.

Widths are in em at the text's own font size: a full-width character (CJK,
full-width punctuation) is one em, anything else (ASCII digits, Latin letters,
half-width punctuation) about half an em (:data:`_NARROW`, on the generous side
so a figure measured to fit does fit, in Word's Times New Roman and in the
preview's fonts alike).

Chinese is written without spaces, so "words" come from a small lexicon of the
words that make up the headers and titles of these reports, matched longest
first; a run of characters no word covers stays together (an unknown word is
never split), and punctuation binds to the word before it (``、`` ``）``) or
after it (``（``).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from itertools import combinations

# Words of table headers and report titles; longest match wins.
_WORDS = """
    年初 年末 年度 本年 上年 预算 预算数 决算 决算数 调整 调整后 调整率 金额 实际 支出 支出率 执行率
    收入 合计 小计 总计 财政 拨款 基本 项目 人员 经费 公用 结转 结余 结转结余 分值 配置 得分 得分率
    指标 指标值 一级 二级 三级 绩效 类型 完成值 评价 内容 权重 占比 按 性质 分类 差异率 金额
    部门 整体 自评 报告 情况 评价报告 自评报告 自评情况 单位 本级 中共 委员会 办公室 人民政府 局 市委 区委
    县委 省委 网络 安全 和 信息化 网络安全 工作 委员会办公室 服务 中心 管理 机关 事务 政府
"""
LEXICON = frozenset(_WORDS.split())

# Words of performance-indicator tables (一级/二级/三级指标, 偏差原因分析), used where a table's labels
# must wrap (:func:`wrap_positions`); kept apart from LEXICON so titles and headers that fit break as before.
_TABLE_WORDS = """
    产出 效益 满意度 数量 质量 时效 成本 经济 社会 生态 可持续 影响 服务 对象 群众 公众 社会公众
    指标 指标值 完成 完成值 完成率 合格率 知晓率 覆盖率 达标率 到位率 使用率 满意率 及时率 准确率
    偏差 原因 分析 偏差原因 说明 备注 自评 等级 得分 分值 权重 评分 实际 目标 年度 全年
    计划 按计划 印发 出台 人次 培训 系统 运行 天数 政策 文件
"""
TABLE_WORDS = tuple(sorted(set(_TABLE_WORDS.split()) - LEXICON))
_RELATIONS = "≥≤＞＜>< =≈±"

_OPEN = "（(《“‘【["
_CLOSE = "、，。；：）)》”’】]%—"


# Half-width characters, generously: Times New Roman's digits are 0.5 em, the
# preview's Noto Serif CJK Latin digits a little wider (measured ≤ 0.58); 0.58 covers both.
_NARROW = {**dict.fromkeys("0123456789", 0.58), **dict.fromkeys(".,:;'!|", 0.3), "%": 0.9, " ": 0.3}


# Signs of ambiguous width that CJK fonts print one em wide (≥90%, ≤420万元 in indicator tables).
_WIDE_SIGNS = frozenset("≥≤≈±×÷℃")


@lru_cache(maxsize=8192)
def char_em(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in ("W", "F") or ch in _WIDE_SIGNS:
        return 1.0
    return _NARROW.get(ch, 0.7 if ch.isupper() else 0.55)


@lru_cache(maxsize=16384)  # the layout steps measure the same cells and headings again and again
def text_em(text: str) -> float:
    return sum(map(char_em, text))


@lru_cache(maxsize=4096)
def words(text: str, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Split ``text`` into unbreakable pieces (see the module docstring).

    ``extra`` are further words (e.g. the department's name) kept whole.
    """
    lexicon = LEXICON | set(extra)
    longest = max((len(w) for w in lexicon), default=1)
    pieces: list[str] = []
    unknown = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isascii() and ch.isalnum():  # a figure or Latin word: one piece
            j = i
            while j < len(text) and text[j].isascii() and (text[j].isalnum() or text[j] in ".,%-"):
                j += 1
            match = text[i:j]
        else:
            match = next(
                (text[i : i + n] for n in range(min(longest, len(text) - i), 1, -1) if text[i : i + n] in lexicon), ""
            )
        if match:
            if unknown:
                pieces.append(unknown)
                unknown = ""
            pieces.append(match)
            i += len(match)
            continue
        if ch in _CLOSE or ch in _OPEN:
            if unknown:
                pieces.append(unknown)
                unknown = ""
            pieces.append(ch)
        else:
            unknown += ch
        i += 1
    if unknown:
        pieces.append(unknown)
    return tuple(_bind_punctuation(pieces))


def _bind_punctuation(pieces: list[str]) -> list[str]:
    out: list[str] = []
    pending_open = ""
    for piece in pieces:
        if piece in _OPEN:
            pending_open += piece
            continue
        piece = pending_open + piece
        pending_open = ""
        if piece[0] in _CLOSE and out:
            out[-1] += piece
        else:
            out.append(piece)
    if pending_open:
        out.append(pending_open)
    return out


def break_positions(text: str, extra: tuple[str, ...] = ()) -> list[int]:
    """Character offsets where ``text`` may break (between two words)."""
    positions = []
    offset = 0
    for piece in words(text, extra)[:-1]:
        offset += len(piece)
        positions.append(offset)
    return positions


def wrap_positions(text: str, extra: tuple[str, ...] = ()) -> list[int]:
    """Offsets where a table label that must wrap may break.

    Between words (LEXICON, :data:`TABLE_WORDS` and ``extra``); inside a run of four or more
    characters no word covers, leaving at least two of them on each side (``完成立项/课题数``, never
    ``产出指/标``); never next to a digit (``≥800人次`` keeps its number and unit) nor after a
    relation sign.
    """
    known = LEXICON | set(TABLE_WORDS) | set(extra)
    positions: set[int] = set()
    offset = 0
    for piece in words(text, TABLE_WORDS + tuple(extra)):
        if offset:
            positions.add(offset)
        if piece not in known and len(piece) >= 4 and all(char_em(ch) == 1.0 for ch in piece):
            positions.update(offset + i for i in range(2, len(piece) - 1))
        offset += len(piece)
    return sorted(
        p
        for p in positions
        if not (text[p - 1].isdigit() or text[p].isdigit() or text[p - 1] in _RELATIONS or text[p] in _CLOSE)
    )


def best_lines(
    text: str,
    max_lines: int = 2,
    width: float | None = None,
    extra: tuple[str, ...] = (),
    min_chars: int = 1,
    cuts: list[int] | None = None,
) -> list[str]:
    """Break ``text`` between words into at most ``max_lines`` lines.

    With ``width`` (em): the fewest lines that fit, as balanced as possible
    (smallest widest line, then smallest difference between lines); without it:
    the most balanced break into up to ``max_lines`` lines.  No line is shorter
    than ``min_chars`` characters when a break allows it.  A text that cannot be
    broken to fit returns the best it can.  ``cuts`` (offsets) replace the breaks
    between words (:func:`wrap_positions` for a table's labels).
    """
    if cuts is None:
        cuts = break_positions(text, extra)
    best: tuple[tuple[float, ...], list[str]] | None = None
    for n in range(1, max_lines + 1):
        for chosen in combinations(cuts, n - 1):
            bounds = (0, *chosen, len(text))
            lines = [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
            ems = [text_em(line) for line in lines]
            short = sum(1 for line in lines if len(line) < min_chars)
            over = max(0.0, max(ems) - width) if width is not None else 0.0
            # ties go to the longer first line (基本建设类／项目, not 基本／建设类项目)
            key = (float(short), over, float(n) if width is not None else 0.0, max(ems), max(ems) - min(ems), -ems[0])
            if best is None or key < best[0]:
                best = (key, lines)
        if width is not None and best is not None and best[0][0] == 0 and best[0][1] == 0:
            return best[1]
    assert best is not None
    return best[1]

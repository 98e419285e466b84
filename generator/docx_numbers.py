"""The labels Word shows for numbered paragraphs (一、 （一） 1. …), from a document's numbering.xml.

Best effort, after ECMA-376 §17.9 and as LibreOffice renders Word's files: a list's counters are kept per
abstract numbering, shared by the ``w:num`` instances that use it (a ``w:startOverride`` sets the counter
at the instance's first paragraph of that level); a level's counter starts at ``w:start``, goes up by one for each
paragraph at that level and starts again when a paragraph at a higher level appears (``w:lvlRestart="0"``:
never); ``w:lvlText`` has ``%1`` … ``%9`` replaced by the counters in each level's ``w:numFmt``
(``w:isLgl``: decimal).  Indirect definitions (``w:numStyleLink``) are followed.  Only I/O-free code here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

MAX_LEVEL_TEXT = 100  # characters of a w:lvlText kept
_DIGITS = "零一二三四五六七八九"
_LEGAL_SIMPLIFIED = "零壹贰叁肆伍陆柒捌玖"
_LEGAL_TRADITIONAL = "零壹貳參肆伍陸柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def chinese(n: int, digits: str = _DIGITS, units: str = "十百千万") -> str:
    """``n`` in Chinese counting: 十、十一、二十、一百零一, 一千零一十 (``units`` 拾佰仟萬 for the legal forms)."""
    if n <= 0:
        return digits[0] if n == 0 else str(n)
    if n >= 100_000_000:
        return str(n)
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        rest = chinese(low, digits, units) if low else ""
        zero = digits[0] if low and low < 1000 else ""
        return chinese(high, digits, units) + units[3] + zero + rest
    out = []
    pending_zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit, n = divmod(n, power)
        if digit:
            if pending_zero:
                out.append(digits[0])
                pending_zero = False
            out.append(digits[digit] + unit)
        elif out:
            pending_zero = True
    text = "".join(out)
    if units[0] == "十" and text.startswith("一十"):
        text = text[1:]  # 十一, not 一十一 (the legal forms keep 壹拾壹)
    return text


def _letters(n: int) -> str:
    # Word: A … Z, AA … ZZ, AAA …
    if not 0 < n <= 26 * 20:  # no list runs to twenty letters; a huge w:start must not make a huge label
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _enclosed(n: int, first: int, last: int) -> str:
    return chr(first + n - 1) if 1 <= n <= last else str(n)


def format_number(n: int, fmt: str) -> str:
    """``n`` written in the ``w:numFmt`` ``fmt``; unknown formats as decimal."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return chinese(n)
    if fmt == "japaneseCounting":
        return chinese(n)
    if fmt == "chineseLegalSimplified":
        return chinese(n, _LEGAL_SIMPLIFIED, "拾佰仟万")
    if fmt in ("ideographLegalTraditional", "japaneseLegal"):
        return chinese(n, _LEGAL_TRADITIONAL, "拾佰仟萬")
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n)) if n >= 0 else str(n)
    if fmt in ("ideographTraditional",):
        return _STEMS[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _BRANCHES[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("upperRoman", "lowerRoman"):
        text = _roman(n)
        return text if fmt == "upperRoman" else text.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        text = _letters(n)
        return text if fmt == "upperLetter" else text.lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(0xFF10 + int(d)) if d.isdigit() else d for d in str(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _enclosed(n, 0x2460, 20)  # ①
    if fmt == "decimalEnclosedParen":
        return _enclosed(n, 0x2474, 20)  # ⑴
    if fmt == "decimalEnclosedFullstop":
        return _enclosed(n, 0x2488, 20)  # ⒈
    if fmt == "ideographEnclosedCircle":
        return _enclosed(n, 0x3220, 10)  # ㈠
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None
    legal: bool = False
    restart: int | None = None  # w:lvlRestart: None = after any higher level, 0 = never


def _int(el: etree._Element | None, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(W + "val", ""))
    except ValueError:
        return default


def _level(lvl: etree._Element, base: _Level | None = None) -> _Level:
    out = _Level(**vars(base)) if base is not None else _Level()
    if lvl.find(W + "start") is not None:
        out.start = _int(lvl.find(W + "start"), 1)
    fmt = lvl.find(W + "numFmt")
    if fmt is None:  # Word 2010+: a custom format in mc:Choice, the nearest standard one in mc:Fallback
        fmt = lvl.find(f"{MC}AlternateContent/{MC}Fallback/{W}numFmt")
    if fmt is not None:
        out.fmt = fmt.get(W + "val", "decimal")
    text = lvl.find(W + "lvlText")
    if text is not None:  # Word keeps a level's text short; a crafted one is cut, not rendered for each paragraph
        out.text = text.get(W + "val", "")[:MAX_LEVEL_TEXT]
    legal = lvl.find(W + "isLgl")
    if legal is not None:
        out.legal = legal.get(W + "val", "true") not in ("0", "false", "off")
    if lvl.find(W + "lvlRestart") is not None:
        out.restart = _int(lvl.find(W + "lvlRestart"), 0)
    return out


def _levels(parent: etree._Element) -> dict[int, etree._Element]:
    out = {}
    for lvl in parent.iterchildren(W + "lvl"):
        ilvl = _int_attr(lvl, "ilvl")
        if ilvl is not None and 0 <= ilvl <= 8:
            out[ilvl] = lvl
    return out


def _int_attr(el: etree._Element, name: str) -> int | None:
    try:
        return int(el.get(W + name, ""))
    except ValueError:
        return None


@dataclass
class Numbering:
    """Counters over one document, fed paragraphs in document order by :meth:`label`."""

    abstract: dict[int, etree._Element] = field(default_factory=dict)
    nums: dict[int, etree._Element] = field(default_factory=dict)
    style_nums: dict[str, int] = field(default_factory=dict)  # numbering style id → its numId
    counters: dict[int, list[int | None]] = field(default_factory=dict)
    restarted: set[tuple[int, int]] = field(default_factory=set)  # (numId, level) whose w:startOverride was applied
    _cache: dict[int, tuple[int, list[_Level], set[int]] | None] = field(default_factory=dict)

    @classmethod
    def parse(cls, root: etree._Element | None, style_nums: dict[str, int] | None = None) -> Numbering:
        out = cls(style_nums=dict(style_nums or {}))
        if root is None:
            return out
        for an in root.iterchildren(W + "abstractNum"):
            aid = _int_attr(an, "abstractNumId")
            if aid is not None:
                out.abstract[aid] = an
        for num in root.iterchildren(W + "num"):
            nid = _int_attr(num, "numId")
            if nid is not None:
                out.nums[nid] = num
        return out

    def _abstract_of(self, num_id: int, depth: int = 0) -> tuple[int, etree._Element] | None:
        num = self.nums.get(num_id)
        if num is None or depth > 5:
            return None
        aid = _int(num.find(W + "abstractNumId"), -1)
        an = self.abstract.get(aid)
        if an is None:
            return None
        link = an.find(W + "numStyleLink")
        if link is not None:  # the list is defined by a numbering style: follow it to that style's list
            target = self.style_nums.get(link.get(W + "val", ""))
            if target is not None and target != num_id:
                found = self._abstract_of(target, depth + 1)
                if found is not None:
                    return found
        return aid, an

    def _definition(self, num_id: int) -> tuple[int, list[_Level], set[int]] | None:
        if num_id in self._cache:
            return self._cache[num_id]
        found = self._abstract_of(num_id)
        result: tuple[int, list[_Level], set[int]] | None = None
        if found is not None:
            aid, an = found
            base = _levels(an)
            levels = [_level(base[i]) if i in base else _Level() for i in range(9)]
            restarts: set[int] = set()
            num = self.nums[num_id]
            for override in num.iterchildren(W + "lvlOverride"):
                ilvl = _int_attr(override, "ilvl")
                if ilvl is None or not 0 <= ilvl <= 8:
                    continue
                lvl = override.find(W + "lvl")
                if lvl is not None:
                    levels[ilvl] = _level(lvl, levels[ilvl])
                start = override.find(W + "startOverride")
                if start is not None:
                    levels[ilvl].start = _int(start, levels[ilvl].start)
                    restarts.add(ilvl)
            result = (aid, levels, restarts)
        self._cache[num_id] = result
        return result

    def style_level(self, num_id: int, style_id: str | None) -> int | None:
        """The level whose ``w:pStyle`` names the paragraph's style (a list linked to heading styles)."""
        found = self._abstract_of(num_id) if style_id is not None else None
        if found is None:
            return None
        for ilvl, lvl in _levels(found[1]).items():
            pstyle = lvl.find(W + "pStyle")
            if pstyle is not None and pstyle.get(W + "val") == style_id:
                return ilvl
        return None

    def label(self, num_id: int, ilvl: int) -> str:
        """Count one paragraph of list ``num_id`` at level ``ilvl`` and return the label Word shows."""
        if num_id == 0:  # numbering switched off
            return ""
        definition = self._definition(num_id)
        if definition is None:
            return ""
        key, levels, restarts = definition
        ilvl = min(max(ilvl, 0), 8)
        counters = self.counters.setdefault(key, [None] * 9)
        current = counters[ilvl]
        if ilvl in restarts and (num_id, ilvl) not in self.restarted:
            self.restarted.add((num_id, ilvl))
            current = None  # the list's first paragraph at this level starts again from w:startOverride
        counters[ilvl] = levels[ilvl].start if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            restart = levels[deeper].restart
            if restart is None or (restart != 0 and restart - 1 >= ilvl):
                counters[deeper] = None
        level = levels[ilvl]
        if level.text is None:
            return ""
        out = []
        text = level.text
        i = 0
        while i < len(text):
            ch = text[i]
            if ch == "%" and i + 1 < len(text) and text[i + 1] in "123456789":
                k = int(text[i + 1]) - 1
                value = counters[k] if counters[k] is not None else levels[k].start
                fmt = "decimal" if level.legal and levels[k].fmt != "decimalZero" else levels[k].fmt
                out.append(format_number(value or 0, fmt))
                i += 2
                continue
            out.append(ch)
            i += 1
        return "".join(out)

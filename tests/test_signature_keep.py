"""The signature block (署名, 成文日期) is never split from the body: the layout keeps the last body
paragraph with the 署名 and the 署名 with the 成文日期 (``w:keepNext``), whatever the template says."""

from __future__ import annotations

import zipfile

from lxml import etree

from generator.qnames import qn


def test_hunan_signature_kept_with_the_last_paragraph(built):
    # the Hunan template (beita 2020) sets no keep of its own: before the layout kept them, the
    # 署名 could start a page alone below the body's last paragraph
    with zipfile.ZipFile(built[("beita", 2020)]) as z:
        body = etree.fromstring(z.read("word/document.xml")).find(qn("w:body"))
    paragraphs = [
        ("".join(t.text or "" for t in p.iter(qn("w:t"))), p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None)
        for p in body.iterchildren(qn("w:p"))
    ]
    last = max(i for i, (text, _) in enumerate(paragraphs) if text.startswith("加强预算执行的准确性"))
    assert [keep for _, keep in paragraphs[last:]][:3] == [True, True, True]  # body, the empty line, 署名
    assert paragraphs[last + 2][0] == "北塔区委网络安全和信息化委员会办公室"
    assert paragraphs[last + 3][1] is False  # the 成文日期 is not held to what follows

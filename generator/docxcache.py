"""A prepared template opened once per process, and a fresh document of it per report.

python-docx opens a ``.docx`` by unzipping it and parsing every XML part; a report then
serialises and deflates every part again.  A batch renders the same prepared template
(styles and settings of the layout applied) hundreds of times, and most of its parts are
never changed by a report: ``styles.xml`` alone (300 KB in the shipped templates) was a
fifth of a report's rendering.  So :class:`Master` reads the package once and gives each
report a document of

- the *shared* parts (styles, numbering), the very same parsed elements for every report,
  serialised and deflated once — no report step changes them (the layout's styles are
  applied to the prepared template; the tests hold the shared parts unchanged over a batch);
- every other XML part a copy of its once-parsed element (no parsing); the main document's
  without its body, which docxtpl renders from the template body's text (kept as :attr:`Master.body_xml`)
  and puts in place;
- the parts python-docx keeps as bytes, as read.

:func:`generator.write.package_bytes` writes a shared part's stored deflated form.
"""

from __future__ import annotations

import io
import zlib
from copy import deepcopy
from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.oxml import serialize_part_xml
from docx.opc.package import PartFactory, Unmarshaller
from docx.opc.part import XmlPart
from docx.opc.pkgreader import PackageReader
from docx.oxml.ns import qn
from docx.package import Package
from lxml import etree

# content types of parts no report step changes (styles: applied once to the prepared template)
SHARED_TYPES = frozenset({CT.WML_STYLES, CT.WML_NUMBERING})


class Master:
    """The parsed parts of one prepared template; :meth:`document` gives a fresh document of them."""

    def __init__(self, data: bytes) -> None:
        self.reader = PackageReader.from_file(io.BytesIO(data))
        package = Package()
        self.parts: list[tuple[Any, str, str, bytes, Any, Any]] = []
        self.stored: dict[int, tuple[Any, int, int, bytes]] = {}  # id(element) → (element, size, crc, deflated)
        self.body_xml: str | None = None  # the template's body as docxtpl reads it (its get_xml)
        for partname, content_type, reltype, blob in self.reader.iter_sparts():
            part = PartFactory(partname, content_type, reltype, blob, package)
            element = part.element if isinstance(part, XmlPart) else None
            if element is not None and content_type == CT.WML_DOCUMENT_MAIN and self.body_xml is None:
                # the body is rendered from its text and replaced: a report's copy needs none of it
                body = element.find(qn("w:body"))
                if body is not None:
                    self.body_xml = etree.tostring(body, encoding="unicode", pretty_print=False)
                    element = deepcopy(element)
                    shell = element.find(qn("w:body"))
                    for child in list(shell):
                        shell.remove(child)
            self.parts.append((partname, content_type, reltype, blob, type(part), element))
            if element is not None and content_type in SHARED_TYPES:
                raw = serialize_part_xml(element)
                compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
                deflated = compressor.compress(raw) + compressor.flush()
                self.stored[id(element)] = (element, len(raw), zlib.crc32(raw), deflated)

    def document(self) -> Any:
        """A python-docx ``Document`` of the template, as ``Document(BytesIO(data))`` gives it, but for
        an empty body (when :attr:`body_xml` is not None): for rendering, which replaces it."""
        package = Package()
        parts = {}
        for partname, content_type, _reltype, blob, cls, element in self.parts:
            if element is None:
                parts[partname] = cls.load(partname, content_type, blob, package)
            else:
                if id(element) not in self.stored:
                    element = deepcopy(element)
                parts[partname] = cls(partname, content_type, element, package)
        Unmarshaller._unmarshal_relationships(self.reader, package, parts)
        for part in parts.values():
            part.after_unmarshal()
        package.after_unmarshal()
        return package.main_document_part.document

    def is_pristine(self) -> bool:
        """Whether every shared part still serialises as it did when read (for the tests)."""
        return all(serialize_part_xml(element) == _inflate(data) for element, _n, _crc, data in self.stored.values())


def _inflate(data: bytes) -> bytes:
    return zlib.decompress(data, -15)

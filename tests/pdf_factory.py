"""Hand-written minimal PDFs with a real text layer, for loader tests.

pypdf cannot draw text, so this writes the PDF objects itself: one Helvetica font
(WinAnsiEncoding, so Dutch accents work), one content stream per page with one
text line per entry, an optional Info dictionary with a title, and an xref table
whose offsets are computed from the bytes actually written.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content_stream(lines: list[str]) -> bytes:
    """One BT/ET text object per line, top to bottom, 16 points apart."""
    parts: list[bytes] = []
    y = 800
    for line in lines:
        if line:
            parts.append(b"BT /F1 11 Tf 50 %d Td (%s) Tj ET" % (y, _escape(line)))
        y -= 16
    return b"\n".join(parts)


def make_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """Build a PDF with one page per entry of ``pages``; each entry lists that page's text lines."""
    page_count = len(pages)
    first_page = 4  # objects: 1 catalog, 2 pages, 3 font, then page/content pairs, then info
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(page_count))
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {page_count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for index, lines in enumerate(pages):
        content_id = first_page + 2 * index + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>".encode()
        )
        stream = _content_stream(lines)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    trailer_extra = b""
    if title is not None:
        utf16 = ("\ufeff" + title).encode("utf-16-be").hex().upper().encode()  # text strings: UTF-16BE + BOM
        objects.append(b"<< /Title <%s> /Producer (pdf_factory) >>" % utf16)
        trailer_extra = b" /Info %d 0 R" % len(objects)

    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref_at = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objects) + 1, trailer_extra))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref_at)
    return out.getvalue()


def encrypt_pdf(data: bytes, user_password: str, owner_password: str = "eigenaar") -> bytes:
    """Return ``data`` encrypted with pypdf (RC4, needs no extra crypto package)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password, owner_password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

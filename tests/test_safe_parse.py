"""Safe ingestion: a corpus of bad files gets Dutch reasons, hidden text stays out, nothing is fetched."""

from __future__ import annotations

import http.client
import http.server
import io
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import RGBColor
from pdf_factory import encrypt_pdf, make_pdf

from ingestion.docx_loader import read_docx
from ingestion.errors import IngestionError, UnsupportedFileError
from ingestion.html_loader import load_html
from ingestion.limits import MEGABYTE, ParseLimits
from ingestion.loader import load_file
from ingestion.parse_checks import check_docx_archive
from ingestion.safe_parse import SafeParser, safe_load_file

PAGES = [["BEWAARTERMIJNEN", "Klantgegevens bewaren we 7 jaar."], ["Cookies bewaren we 1 jaar."]]
BILLION_LAUGHS_DTD = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    document.add_heading("Bewaartermijnen", level=1)
    for text in paragraphs or ("Klantgegevens bewaren we 7 jaar.",):
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rezip(data: bytes, replace: dict[str, bytes], padding: int = 0) -> bytes:
    """A copy of a docx with members replaced; ``padding`` spaces appended to word/document.xml."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            body = replace.get(info.filename, source.read(info.filename))
            if info.filename == "word/document.xml" and padding:
                member_info = zipfile.ZipInfo(info.filename)
                member_info.compress_type = zipfile.ZIP_DEFLATED
                with target.open(member_info, "w", force_zip64=True) as member:
                    member.write(body)
                    block = b" " * MEGABYTE
                    for _ in range(padding // MEGABYTE):
                        member.write(block)
            else:
                target.writestr(info.filename, body)
    return out.getvalue()


def pdf_bomb(megabytes: int) -> bytes:
    """A one-page PDF whose content stream inflates from about 1 MB to ``megabytes`` MB of zeros."""
    compressor = zlib.compressobj(1)
    parts = [compressor.compress(b"BT /F1 11 Tf 50 800 Td (Hallo) Tj ET\n")]
    block = bytes(MEGABYTE)
    parts += [compressor.compress(block) for _ in range(megabytes)]
    stream = b"".join(parts) + compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def reason(path: Path, limits: ParseLimits | None = None) -> str:
    with pytest.raises(IngestionError) as caught:
        safe_load_file(path, limits=limits)
    return str(caught.value)


# --- good files survive the trip through the worker ---------------------------------------------


def test_worker_returns_the_same_document_as_load_file(tmp_path):
    files = [
        write(tmp_path, "beleid.pdf", make_pdf(PAGES, title="Bewaarbeleid")),
        write(tmp_path, "beleid.docx", docx_bytes()),
        write(tmp_path, "beleid.html", "<h1>Beleid</h1><p>Klantgegevens bewaren we 7 jaar.</p>"),
    ]
    for path in files:
        direct, safe = load_file(path, kind="procesdocument"), safe_load_file(path, kind="procesdocument")
        assert (safe.source, safe.title, safe.kind) == (direct.source, direct.title, direct.kind)
        assert [(c.page_content, c.metadata) for c in safe.chunks] == [
            (c.page_content, c.metadata) for c in direct.chunks
        ]


def test_relative_paths_and_titles(tmp_path, monkeypatch):
    write(tmp_path, "notitie.txt", "Facturen bewaren we 7 jaar.")
    monkeypatch.chdir(tmp_path)
    assert safe_load_file(Path("notitie.txt"), title="Notitie").title == "Notitie"


# --- the bad-input corpus -----------------------------------------------------------------------


def test_truncated_pdf(tmp_path):
    data = make_pdf(PAGES)
    assert "Het PDF-bestand is beschadigd of onleesbaar" in reason(write(tmp_path, "kapot.pdf", data[:200]))


def test_encrypted_pdf(tmp_path):
    path = write(tmp_path, "geheim.pdf", encrypt_pdf(make_pdf(PAGES), "wachtwoord"))
    assert "versleuteld met een wachtwoord" in reason(path)


def test_pdf_decompression_bomb(tmp_path):
    path = write(tmp_path, "bom.pdf", pdf_bomb(300))
    assert path.stat().st_size < 2 * MEGABYTE
    assert "mogelijk een decompressiebom; geweigerd" in reason(path)


def test_pdf_with_too_many_pages(tmp_path):
    path = write(tmp_path, "dik.pdf", make_pdf([["Pagina."]] * 3))
    assert reason(path, ParseLimits(max_pages=2)).startswith("Het PDF-bestand heeft 3 pagina's; meer dan 2")


def test_docx_zip_bomb(tmp_path):
    path = write(tmp_path, "bom.docx", rezip(docx_bytes(), {}, padding=201 * MEGABYTE))
    assert path.stat().st_size < MEGABYTE
    assert reason(path) == "Het DOCX-bestand pakt uit tot meer dan 200 MB: mogelijk een zip-bom; geweigerd."


def test_docx_compression_ratio(tmp_path):
    path = write(tmp_path, "ratio.docx", rezip(docx_bytes(), {}, padding=12 * MEGABYTE))
    assert reason(path) == (
        "Het DOCX-bestand pakt uit tot meer dan 100 keer zijn eigen grootte: mogelijk een zip-bom; geweigerd."
    )


XXE_DOCUMENT = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body></w:document>"
)


def test_xxe_docx(tmp_path):
    path = write(tmp_path, "xxe.docx", rezip(docx_bytes(), {"word/document.xml": XXE_DOCUMENT}))
    assert reason(path) == "Onveilig DOCX-bestand (XML-entiteiten) geweigerd."


def test_billion_laughs_docx_even_after_a_long_comment(tmp_path):
    document = (
        b'<?xml version="1.0"?><!--'
        + b"x" * 100_000
        + b"-->"
        + BILLION_LAUGHS_DTD.encode()
        + b"<w:document/>"
    )
    path = write(tmp_path, "lol.docx", rezip(docx_bytes(), {"word/styles.xml": document}))
    assert reason(path) == "Onveilig DOCX-bestand (XML-entiteiten) geweigerd."


def test_an_ordinary_docx_passes_the_archive_check(tmp_path):
    check_docx_archive(write(tmp_path, "gewoon.docx", docx_bytes()), ParseLimits())


def test_billion_laughs_xml(tmp_path):
    xml = f'<?xml version="1.0"?>{BILLION_LAUGHS_DTD}<ACT><ARTICLE><TI.ART>&lol3;</TI.ART></ARTICLE></ACT>'
    assert "XML-entiteiten" in reason(write(tmp_path, "lol.xml", xml))


def test_billion_laughs_html_is_not_expanded(tmp_path):
    html = f"{BILLION_LAUGHS_DTD}<html><body><p>Tekst &lol3; einde</p></body></html>"
    parsed = safe_load_file(write(tmp_path, "lol.html", html))
    assert "lollol" not in " ".join(c.page_content for c in parsed.chunks)


def test_empty_file(tmp_path):
    assert reason(write(tmp_path, "leeg.docx", b"")) == "Het bestand is leeg."


def test_unsupported_extension_is_refused_without_the_worker(tmp_path):
    with pytest.raises(UnsupportedFileError, match=r"Bestandstype \.xyz wordt niet ondersteund"):
        safe_load_file(write(tmp_path, "bestand.xyz", b"data"))


def test_content_that_does_not_match_the_extension(tmp_path):
    path = write(tmp_path, "vermomd.docx", make_pdf(PAGES))
    assert "De inhoud past niet bij de extensie .docx" in reason(path)


def test_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "groot.pdf"
    with path.open("wb") as handle:
        handle.truncate(50 * MEGABYTE)  # sparse: no 50 MB written
    started = time.perf_counter()
    assert reason(path).startswith("Het bestand is groter dan 25 MB (50 MB); splits het op")
    assert time.perf_counter() - started < 1


def test_missing_file(tmp_path):
    assert reason(tmp_path / "weg.pdf") == "Bestand of map bestaat niet."


def test_timeout_kills_the_worker_and_the_next_file_works(tmp_path):
    line = "Klantgegevens bewaren we zeven jaar na het einde van de overeenkomst. " * 20 + "\n\n"
    slow = write(tmp_path, "traag.txt", line * 3000)  # about 4 MB: takes seconds to chunk
    with SafeParser() as parser:
        with pytest.raises(
            IngestionError, match=r"^Het verwerken duurde langer dan 0,1 s en is afgebroken\.$"
        ):
            parser.load(slow, limits=ParseLimits(timeout_s=0.1))
        assert parser.load(write(tmp_path, "kort.txt", "Kort bericht.")).chunks


def test_memory_limit_and_the_next_file_works(tmp_path):
    line = "Klantgegevens bewaren we zeven jaar na het einde van de overeenkomst. " * 20 + "\n\n"
    big = write(tmp_path, "groot.txt", line * (20 * MEGABYTE // len(line)))
    with SafeParser(ParseLimits(memory_bytes=100 * MEGABYTE)) as parser:
        with pytest.raises(IngestionError, match=r"^Het bestand vraagt te veel geheugen \(meer dan 100 MB\)"):
            parser.load(big)
        assert parser.load(write(tmp_path, "kort.txt", "Kort bericht.")).chunks


def test_batch_goes_on_past_bad_files(app, tmp_path):
    folder = tmp_path / "klant"
    folder.mkdir()
    write(folder, "a-beleid.md", "# Beleid\n\nKlantgegevens bewaren we 7 jaar.\n")
    write(folder, "b-bom.docx", rezip(docx_bytes(), {}, padding=201 * MEGABYTE))
    write(folder, "c-xxe.docx", rezip(docx_bytes(), {"word/document.xml": XXE_DOCUMENT}))
    write(folder, "d-leeg.txt", "")
    write(folder, "e-notitie.txt", "Facturen bewaren we 7 jaar.")
    report = app.ingest.ingest([folder], "klant:Zonnebloem", actor="test")
    assert report.added == 2, report.summary()
    reasons = dict((Path(path).name, text) for path, text in report.skipped)
    assert reasons == {
        "b-bom.docx": "Het DOCX-bestand pakt uit tot meer dan 200 MB: mogelijk een zip-bom; geweigerd.",
        "c-xxe.docx": "Onveilig DOCX-bestand (XML-entiteiten) geweigerd.",
        "d-leeg.txt": "Het bestand is leeg.",
    }


# --- nothing is fetched -------------------------------------------------------------------------


@pytest.fixture
def http_log() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request; yields (base URL, request paths)."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"GEHAALD")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()
    thread.join()


def test_parsing_fetches_nothing(tmp_path, http_log):
    base, requests = http_log
    html = (
        f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "{base}/entity">]><html><head>'
        f'<link rel="stylesheet" href="{base}/css"><script src="{base}/js"></script>'
        f'<meta http-equiv="refresh" content="0; url={base}/refresh"></head><body>'
        f'<h1>Beleid</h1><p>Tekst &xxe; <img src="{base}/x"></p><iframe src="{base}/frame"></iframe>'
        f'<object data="{base}/object"></object></body></html>'
    )
    formex = (
        f'<?xml version="1.0"?><!DOCTYPE ACT SYSTEM "{base}/dtd" [<!ENTITY e SYSTEM "{base}/xxe">]>'
        "<ACT><ARTICLE><TI.ART>Artikel 1</TI.ART><ALINEA>&e;</ALINEA></ARTICLE></ACT>"
    )
    document = XXE_DOCUMENT.replace(b"file:///etc/passwd", f"{base}/docx".encode())
    files = [
        write(tmp_path, "pagina.html", html),
        write(tmp_path, "wet.xml", formex),
        write(tmp_path, "xxe.docx", rezip(docx_bytes(), {"word/document.xml": document})),
    ]
    for path in files:
        for load in (load_file, safe_load_file):  # in this process, and in the worker
            try:
                parsed = load(path)
            except IngestionError:
                continue
            assert "GEHAALD" not in " ".join(c.page_content for c in parsed.chunks)
    time.sleep(0.2)  # a request in flight would have arrived by now
    assert requests == []
    connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=5)  # no proxy
    connection.request("GET", "/controle")
    assert connection.getresponse().read() == b"GEHAALD"  # the server does record requests
    connection.close()
    assert requests == ["/controle"]


# --- hidden text --------------------------------------------------------------------------------

HIDDEN_HTML = """<html><head><style>
/* opmerking */ .wit { color: #FFF } p.klein { font-size: 0px } #weg { display: none }
@media (max-width: 600px) { .mobiel { display: none } }
</style></head><body>
<h1>Beleid</h1>
<p>Zichtbaar een.</p>
<p style="color:#fff">WIT-INLINE</p>
<p style="color: white; background-color: #ffffff">WIT-OP-WIT</p>
<p class="wit">WIT-KLASSE</p>
<p><font color="#ffffff">WIT-FONT</font></p>
<p style="color: rgb(255, 255, 255)">WIT-RGB</p>
<p style="color: rgba(0, 0, 0, 0)">TRANSPARANT</p>
<p style="font-size:0">NUL-PUNT</p>
<p class="klein">NUL-KLASSE</p>
<p id="weg">WEG-ID</p>
<p style="opacity: 0">ONDOORZICHTIG</p>
<p style="position:absolute; left:-9999px">BUITEN-BEELD</p>
<div style="visibility:hidden">ONZICHTBAAR</div>
<p hidden>VERBORGEN</p>
<dialog>DIALOOG</dialog>
<p>Zero\u200bwidth\U000e0041\U000e0042 tekst\u202e.</p>
<div style="background: #003366"><p style="color:#fff">Zichtbaar op donker.</p></div>
<div style="font-size:0"><span style="font-size:16px">Zichtbaar na reset.</span></div>
<p class="mobiel">Zichtbaar op desktop.</p>
</body></html>"""


def test_hidden_html_text_is_dropped():
    _, blocks = load_html(HIDDEN_HTML)
    text = "\n".join(block.text for block in blocks)
    for visible in ("Zichtbaar een.", "Zichtbaar op donker.", "Zichtbaar na reset.", "Zichtbaar op desktop."):
        assert visible in text
    assert "Zerowidth tekst." in text
    for hidden in (
        *("WIT-INLINE", "WIT-OP-WIT", "WIT-KLASSE", "WIT-FONT", "WIT-RGB", "TRANSPARANT", "NUL-PUNT"),
        *("NUL-KLASSE", "WEG-ID", "ONDOORZICHTIG", "BUITEN-BEELD", "ONZICHTBAAR", "VERBORGEN", "DIALOOG"),
    ):
        assert hidden not in text


def hidden_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Beleid", level=1)
    paragraph = document.add_paragraph("Zichtbaar ")
    paragraph.add_run("VERBORGEN-RUN").font.hidden = True
    paragraph.add_run("WIT-RUN").font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    paragraph.add_run("MINI-RUN").font.size = 12700  # 1 pt in EMU
    marked = paragraph.add_run(" gemarkeerd wit")
    marked.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    marked.font.highlight_color = WD_COLOR_INDEX.BLACK
    paragraph.add_run(" einde.")
    secret = document.styles.add_style("Geheim", 2)  # a character style that hides its runs
    secret.font.hidden = True
    document.add_paragraph().add_run("STIJL-VERBORGEN", style="Geheim")
    cell = document.add_table(rows=1, cols=2).rows[0].cells
    cell[0].paragraphs[0].add_run("Cel zichtbaar")
    cell[1].paragraphs[0].add_run("WIT-IN-CEL").font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    dark = document.add_paragraph()
    dark._p.get_or_add_pPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="1F3864"/>'))
    dark.add_run("Wit op donkere alinea").font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_hidden_docx_runs_are_skipped():
    _, blocks = read_docx(hidden_docx())
    text = "\n".join(block.text for block in blocks)
    assert "Zichtbaar gemarkeerd wit einde." in text
    assert "Cel zichtbaar" in text
    assert "Wit op donkere alinea" in text
    for hidden in ("VERBORGEN-RUN", "WIT-RUN", "MINI-RUN", "STIJL-VERBORGEN", "WIT-IN-CEL"):
        assert hidden not in text


def test_a_parser_bug_is_logged_with_its_traceback_under_the_id_the_user_sees(tmp_path, monkeypatch, caplog):
    import re

    from ingestion import safe_parse
    from ingestion.limits import ParseLimits

    def broken(*args, **kwargs):
        raise KeyError("interne-sleutel")

    path = tmp_path / "beleid.txt"
    path.write_text("Tekst.", encoding="utf-8")
    monkeypatch.setattr(safe_parse, "load_file", broken)
    with caplog.at_level("ERROR", logger="ingestion.safe_parse"):
        outcome, refused, reason = safe_parse._parse_limited(path, None, None, ParseLimits())
    assert outcome == "error" and not refused
    code = re.search(r"foutcode ([0-9a-f]{8})", reason)
    assert code and "KeyError" not in reason and "interne-sleutel" not in reason
    (record,) = caplog.records
    assert code.group(1) in record.getMessage() and record.exc_info and record.exc_info[0] is KeyError

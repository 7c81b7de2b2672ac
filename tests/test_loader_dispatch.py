"""The dispatcher: file type routing, content sniffing, titles, Dutch errors and folder expansion."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from pdf_factory import encrypt_pdf, make_pdf

import ingestion.loader as loader
from ingestion.errors import IngestionError, UnsupportedFileError
from ingestion.loader import SUPPORTED_SUFFIXES, iter_files, load_file
from ingestion.model import CHUNK_METADATA_KEYS

POLICY_PAGES = [
    ["BEWAARTERMIJNEN", "Klantgegevens bewaren we 7 jaar."],
    ["2.1 Cookies", "Analytische cookies bewaren we 1 jaar."],
]

MARKDOWN = "# Privacybeleid Zonnebloem\n\n## Bewaartermijnen\n\nKlantgegevens bewaren we 7 jaar.\n"

HTML = """<html><head><title>Privacyverklaring Zonnebloem</title><script>var x = "SCRIPT";</script></head>
<body><h1>Privacyverklaring</h1><h2>Bewaartermijnen</h2><p>Klantgegevens bewaren we 7 jaar.</p>
<p hidden>VERBORGEN</p></body></html>"""

EURLEX_HTML = """<html><head><title>Verordening (EU) 2016/679</title></head><body>
<p class="ti-art">Artikel 5</p><p class="sti-art">Beginselen inzake verwerking van persoonsgegevens</p>
<p class="normal">1.   Persoonsgegevens moeten worden verwerkt op een wijze die rechtmatig is.</p>
<p class="ti-art">Artikel 6</p><p class="sti-art">Rechtmatigheid van de verwerking</p>
<p class="normal">1.   De verwerking is alleen rechtmatig indien aan ten minste een van de voorwaarden
is voldaan.</p>
</body></html>"""


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def docx_bytes(core_title: str = "") -> bytes:
    document = docx.Document()
    document.core_properties.title = core_title
    document.add_heading("Bewaartermijnen", level=1)
    document.add_paragraph("Klantgegevens bewaren we 7 jaar.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Facturen"
    table.cell(0, 1).text = "7 jaar"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- routing per type --------------------------------------------------------------------------


def test_pdf_file(tmp_path):
    path = write(tmp_path, "bewaarbeleid.pdf", make_pdf(POLICY_PAGES, title="Bewaarbeleid Zonnebloem"))
    parsed = load_file(path)
    assert (parsed.source, parsed.title, parsed.kind, parsed.law) == (
        "bewaarbeleid.pdf",
        "Bewaarbeleid Zonnebloem",
        "document",
        "",
    )
    assert [c.metadata["citation"] for c in parsed.chunks] == [
        "Bewaarbeleid Zonnebloem, BEWAARTERMIJNEN, p. 1",
        "Bewaarbeleid Zonnebloem, 2.1 Cookies, p. 2",
    ]
    assert (
        parsed.chunks[1].page_content
        == "BEWAARTERMIJNEN > 2.1 Cookies\nAnalytische cookies bewaren we 1 jaar."
    )
    assert all(tuple(c.metadata) == CHUNK_METADATA_KEYS for c in parsed.chunks)


def test_docx_file_with_kind_and_title(tmp_path):
    path = write(tmp_path, "bewaren.docx", docx_bytes())
    parsed = load_file(path, kind="beleid", title="Mijn bewaarbeleid")
    assert parsed.title == "Mijn bewaarbeleid"
    [chunk] = parsed.chunks
    assert chunk.page_content == "Bewaartermijnen\nKlantgegevens bewaren we 7 jaar.\nFacturen | 7 jaar"
    assert chunk.metadata["kind"] == "beleid"
    assert chunk.metadata["document"] == "Mijn bewaarbeleid"
    assert chunk.metadata["citation"] == "Mijn bewaarbeleid, Bewaartermijnen"
    assert chunk.metadata["page"] == -1


def test_docx_core_title(tmp_path):
    assert load_file(write(tmp_path, "b.docx", docx_bytes("Bewaarbeleid 2025"))).title == "Bewaarbeleid 2025"


def test_html_file(tmp_path):
    parsed = load_file(write(tmp_path, "privacy.html", HTML))
    assert parsed.title == "Privacyverklaring Zonnebloem"
    [chunk] = parsed.chunks
    assert chunk.page_content == "Privacyverklaring > Bewaartermijnen\nKlantgegevens bewaren we 7 jaar."
    assert chunk.metadata["heading"] == "Privacyverklaring > Bewaartermijnen"


def test_markdown_title_is_first_h1(tmp_path):
    parsed = load_file(write(tmp_path, "beleid.markdown", MARKDOWN))
    assert parsed.title == "Privacybeleid Zonnebloem"
    assert parsed.chunks[0].metadata["citation"] == "Privacybeleid Zonnebloem, Bewaartermijnen"


def test_cp1252_text_file_title_is_its_first_line_shown_once(tmp_path):
    text = "Bewaartermijnen café Zonnebloem\r\n\r\nKlantgegevens bewaren we 7 jaar – daarna “verwijderd”."
    parsed = load_file(write(tmp_path, "bewaar_notitie.txt", text.encode("cp1252")))
    assert parsed.title == "Bewaartermijnen café Zonnebloem"
    assert [c.page_content for c in parsed.chunks] == [
        "Bewaartermijnen café Zonnebloem\nKlantgegevens bewaren we 7 jaar – daarna “verwijderd”."
    ]
    assert parsed.chunks[0].metadata["citation"] == "Bewaartermijnen café Zonnebloem"


def test_text_file_without_a_title_line_is_named_after_its_tidied_file_name(tmp_path):
    parsed = load_file(write(tmp_path, "bewaar_notitie-v2.txt", "Klantgegevens bewaren we 7 jaar."))
    assert parsed.title == "Bewaar notitie v2"


def test_suffix_is_case_insensitive(tmp_path):
    assert load_file(write(tmp_path, "NOTITIE.TXT", "Facturen bewaren we 7 jaar.")).chunks


# --- law routing -------------------------------------------------------------------------------


def test_eurlex_html_is_routed_to_the_law_chunker(tmp_path):
    eurlex = pytest.importorskip("ingestion.eurlex_html")
    assert eurlex.looks_like_eurlex(EURLEX_HTML)
    parsed = load_file(write(tmp_path, "avg.html", EURLEX_HTML), kind="document")
    assert parsed.kind == "wet"
    assert parsed.law
    assert parsed.chunks
    assert {c.metadata["kind"] for c in parsed.chunks} == {"wet"}
    assert {c.metadata["law"] for c in parsed.chunks} == {parsed.law}
    assert [c.metadata["article"] for c in parsed.chunks] == ["5", "6"]


def test_eurlex_title_can_be_overridden(tmp_path):
    pytest.importorskip("ingestion.eurlex_html")
    parsed = load_file(write(tmp_path, "avg.htm", EURLEX_HTML), title="AVG (NL)")
    assert parsed.title == "AVG (NL)"
    assert {c.metadata["document"] for c in parsed.chunks} == {"AVG (NL)"}


def test_law_parser_crash_becomes_dutch_ingestion_error(tmp_path, monkeypatch):
    eurlex = pytest.importorskip("ingestion.eurlex_html")

    def boom(html: str, law: str = ""):
        raise KeyError("kapot")

    monkeypatch.setattr(eurlex, "parse_eurlex_html", boom)
    with pytest.raises(IngestionError, match=r"Het EUR-Lex-bestand kon niet worden gelezen \(KeyError\)"):
        load_file(write(tmp_path, "avg.html", EURLEX_HTML))


FORMEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<ACT><ENACTING.TERMS><ARTICLE IDENTIFIER="005"><TI.ART>Artikel 5</TI.ART><STI.ART><P>Beginselen</P></STI.ART>
<PARAG IDENTIFIER="005.001"><NO.PARAG>1.</NO.PARAG>
<ALINEA>Persoonsgegevens moeten rechtmatig worden verwerkt.</ALINEA></PARAG></ARTICLE>
</ENACTING.TERMS></ACT>"""


def test_formex_xml_is_routed_to_the_law_chunker(tmp_path):
    pytest.importorskip("ingestion.formex")
    parsed = load_file(write(tmp_path, "avg.xml", FORMEX), title="AVG")
    assert (parsed.kind, parsed.title) == ("wet", "AVG")
    [chunk] = parsed.chunks
    assert chunk.page_content.startswith("Artikel 5 — Beginselen\n")
    assert (chunk.metadata["kind"], chunk.metadata["article"], chunk.metadata["paragraph"]) == (
        "wet",
        "5",
        "1",
    )


def test_formex_parser_errors_stay_dutch(tmp_path):
    pytest.importorskip("ingestion.formex")
    with pytest.raises(IngestionError) as err:
        load_file(write(tmp_path, "kapot.xml", b"<ACT><ARTICLE><TI.ART>Artikel 1</TI.ART>"))
    assert "Traceback" not in str(err.value)
    assert str(err.value)


def test_other_xml_is_not_supported(tmp_path):
    with pytest.raises(UnsupportedFileError, match="Dit XML-bestand wordt niet ondersteund"):
        load_file(write(tmp_path, "feed.xml", "<?xml version='1.0'?><rss><item>Nieuws</item></rss>"))


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\t \r\n"])
@pytest.mark.parametrize("name", ["leeg.txt", "leeg.md", "leeg.pdf", "leeg.docx", "leeg.html", "leeg.xml"])
def test_empty_file(tmp_path, name, content):
    with pytest.raises(IngestionError, match=r"^Het bestand is leeg\.$"):
        load_file(write(tmp_path, name, content))


@pytest.mark.parametrize("name", ["leeg.txt", "leeg.md", "leeg.html"])
def test_text_file_with_only_invisible_characters_is_empty(tmp_path, name):
    with pytest.raises(IngestionError, match=r"^Het bestand is leeg\.$"):
        load_file(write(tmp_path, name, "\ufeff  \u200b \n\u2060"))


def test_unsupported_suffix(tmp_path):
    with pytest.raises(UnsupportedFileError, match=r"^Bestandstype \.xyz wordt niet ondersteund"):
        load_file(write(tmp_path, "notities.xyz", "tekst"))
    with pytest.raises(UnsupportedFileError, match="zonder extensie"):
        load_file(write(tmp_path, "README", "tekst"))


def test_missing_file(tmp_path):
    with pytest.raises(IngestionError, match=r"^Bestand of map bestaat niet\.$"):
        load_file(tmp_path / "weg.pdf")


def test_pdf_that_is_really_text(tmp_path):
    with pytest.raises(IngestionError, match=r"^De inhoud past niet bij de extensie \.pdf"):
        load_file(write(tmp_path, "beleid.pdf", "Klantgegevens bewaren we 7 jaar."))


def test_docx_that_is_not_a_word_document(tmp_path):
    with pytest.raises(IngestionError, match=r"^De inhoud past niet bij de extensie \.docx"):
        load_file(write(tmp_path, "beleid.docx", "Klantgegevens bewaren we 7 jaar."))
    with pytest.raises(IngestionError, match=r"ouder Word-bestand \(\.doc\)"):
        load_file(write(tmp_path, "oud.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100))


def test_text_file_that_is_really_a_pdf(tmp_path):
    with pytest.raises(IngestionError, match=r"^De inhoud past niet bij de extensie \.txt"):
        load_file(write(tmp_path, "beleid.txt", make_pdf(POLICY_PAGES)))


def test_binary_text_file(tmp_path):
    with pytest.raises(IngestionError, match="Dit lijkt geen tekstbestand"):
        load_file(write(tmp_path, "data.txt", b"\x01\x02\x00\x00binair"))


def test_encrypted_truncated_and_scanned_pdfs(tmp_path):
    pdf = make_pdf(POLICY_PAGES)
    with pytest.raises(IngestionError, match="Het PDF-bestand is versleuteld"):
        load_file(write(tmp_path, "geheim.pdf", encrypt_pdf(pdf, "wachtwoord")))
    with pytest.raises(IngestionError, match="Het PDF-bestand is beschadigd of onleesbaar"):
        load_file(write(tmp_path, "kapot.pdf", pdf[: len(pdf) // 2]))
    with pytest.raises(IngestionError, match=r"Geen tekstlaag gevonden: is dit een scan\?"):
        load_file(write(tmp_path, "scan.pdf", make_pdf([[]])))


def test_corrupt_docx(tmp_path):
    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(
                item, b"<w:document><w:body>kapot" if item.filename == "word/document.xml" else data
            )
    with pytest.raises(IngestionError, match=r"^Het Word-bestand \(\.docx\) is beschadigd of onleesbaar"):
        load_file(write(tmp_path, "kapot.docx", out.getvalue()))


def test_document_without_text(tmp_path):
    with pytest.raises(IngestionError, match=r"^Geen tekst gevonden in het bestand\.$"):
        load_file(
            write(tmp_path, "leeg.html", "<html><body><script>alert(1)</script><p hidden>x</p></body></html>")
        )


def test_parser_exceptions_become_dutch_ingestion_errors(tmp_path, monkeypatch):
    def crash(data: bytes):
        raise RuntimeError("raw traceback")

    monkeypatch.setattr(loader, "read_pdf", crash)
    with pytest.raises(IngestionError, match=r"^Het PDF-bestand kon niet worden gelezen \(RuntimeError\)\.$"):
        load_file(write(tmp_path, "b.pdf", make_pdf(POLICY_PAGES)))


def test_deeply_nested_html_is_read(tmp_path):
    html = "<div>" * 5_000 + "<p>Klantgegevens bewaren we 7 jaar.</p>" + "</div>" * 5_000
    [chunk] = load_file(write(tmp_path, "diep.html", html)).chunks
    assert chunk.page_content == "Klantgegevens bewaren we 7 jaar."


# --- iter_files --------------------------------------------------------------------------------


def test_iter_files_expands_folders_sorted_and_skips_hidden(tmp_path):
    for name in [
        "b.pdf",
        "a.md",
        "sub/c.docx",
        "sub/d.png",
        ".verborgen.txt",
        ".git/config.txt",
        "sub/~$tijdelijk.docx",
        "z/e.HTML",
    ]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    extra = write(tmp_path, "los.txt", "x")
    files, skipped = iter_files([tmp_path, extra, tmp_path / "bestaat-niet.pdf"])
    assert files == [
        tmp_path / "a.md",
        tmp_path / "b.pdf",
        tmp_path / "los.txt",
        tmp_path / "sub" / "c.docx",
        tmp_path / "z" / "e.HTML",
    ]
    assert skipped == [
        (tmp_path / "sub" / "d.png", f"Bestandstype .png wordt niet ondersteund (ondersteund: {_listed()})."),
        (tmp_path / "bestaat-niet.pdf", "Bestand of map bestaat niet."),
    ]


def test_iter_files_explicit_unsupported_file(tmp_path):
    path = write(tmp_path, "foto.jpg", b"\xff\xd8")
    assert iter_files([path]) == (
        [],
        [(path, f"Bestandstype .jpg wordt niet ondersteund (ondersteund: {_listed()}).")],
    )


def _listed() -> str:
    return ", ".join(SUPPORTED_SUFFIXES)

"""The per-format loaders: text cleaning, decoding, Markdown, plain text, HTML, DOCX and PDF."""

from __future__ import annotations

import io

import docx
import pytest
from pdf_factory import encrypt_pdf, make_pdf

from ingestion.docx_loader import load_docx, read_docx
from ingestion.errors import IngestionError
from ingestion.html_loader import load_html
from ingestion.model import TextBlock
from ingestion.pdf_loader import heading_level, load_pdf, read_pdf
from ingestion.text_cleaning import clean_text, push_heading
from ingestion.text_loader import decode_text, load_markdown, load_plain_text, markdown_title

# --- text cleaning -------------------------------------------------------------------------------


def test_clean_text_removes_invisible_and_control_characters():
    raw = "Klant\u200bgege\u200cvens\u200d be\u2060waren\ufeff we\x07 7\tjaar.\x00"
    assert clean_text(raw) == "Klantgegevens bewaren we 7 jaar."


def test_clean_text_normalizes_to_nfc_and_collapses_spaces_per_line():
    decomposed = "Cafe\u0301   Zonnebloem\u00a0\u00a0bewaart \r\n  facturen   7 jaar  "
    assert clean_text(decomposed) == "Café Zonnebloem bewaart\nfacturen 7 jaar"


def test_clean_text_keeps_paragraph_breaks_but_not_runs_of_blank_lines():
    assert clean_text("Eén\n\n\n\nTwee") == "Eén\n\nTwee"


def test_push_heading_replaces_same_and_deeper_levels():
    stack: list[tuple[int, str]] = []
    assert push_heading(stack, 1, "Privacy") == ("Privacy",)
    assert push_heading(stack, 2, "Bewaartermijnen") == ("Privacy", "Bewaartermijnen")
    assert push_heading(stack, 3, "Klanten") == ("Privacy", "Bewaartermijnen", "Klanten")
    assert push_heading(stack, 2, "Cookies") == ("Privacy", "Cookies")


# --- decoding ----------------------------------------------------------------------------------


def test_decode_text_utf8_with_and_without_bom():
    text = "Bewaartermijnen: één jaar voor cookies"
    assert decode_text(text.encode("utf-8")) == text
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == text


def test_decode_text_falls_back_to_cp1252():
    text = "Privacyverklaring – café “De Zonnebloem” bewaart gegevens € 0"
    assert decode_text(text.encode("cp1252")) == text


def test_decode_text_utf16_with_bom():
    assert decode_text("Één klant".encode("utf-16")) == "Één klant"


def test_decode_text_rejects_binary_data():
    with pytest.raises(IngestionError, match="Dit lijkt geen tekstbestand"):
        decode_text(b"abc\x00\x01\x02def")


# --- Markdown and plain text -------------------------------------------------------------------

MARKDOWN = """\
---
auteur: Webshop Zonnebloem
---
# Privacybeleid Webshop Zonnebloem

Wij verwerken **persoonsgegevens** van klanten om [bestellingen](https://example.nl) te leveren.

## Bewaartermijnen

- Klantgegevens bewaren we 7 jaar.
- Cookies bewaren we *maximaal* 1 jaar.

### Klantgegevens

```
bewaar_jaren = 7

# geen kop
```

## Contact ##

Mail naar privacy@zonnebloem.example.
"""


def test_markdown_headings_make_the_heading_path():
    blocks = load_markdown(MARKDOWN)
    body = [b for b in blocks if not b.is_heading]
    assert body[0] == TextBlock(
        "Wij verwerken persoonsgegevens van klanten om bestellingen te leveren.",
        ("Privacybeleid Webshop Zonnebloem",),
    )
    assert body[1].heading_path == ("Privacybeleid Webshop Zonnebloem", "Bewaartermijnen")
    assert body[-1].heading_path == ("Privacybeleid Webshop Zonnebloem", "Contact")
    assert all(b.page == -1 for b in blocks)


def test_markdown_list_items_stay_lines_of_one_block():
    blocks = load_markdown(MARKDOWN)
    lists = [b for b in blocks if b.text.startswith("- ")]
    assert len(lists) == 1
    assert lists[0].text == "- Klantgegevens bewaren we 7 jaar.\n- Cookies bewaren we maximaal 1 jaar."


def test_markdown_fenced_code_is_text_and_not_a_heading():
    blocks = load_markdown(MARKDOWN)
    code = next(b for b in blocks if "bewaar_jaren" in b.text)
    assert code.text == "bewaar_jaren = 7\n\n# geen kop"
    assert code.heading_path[-1] == "Klantgegevens"
    assert not any(b.is_heading and "geen kop" in b.text for b in blocks)


def test_markdown_front_matter_is_dropped_and_title_is_first_h1():
    assert not any("auteur" in b.text for b in load_markdown(MARKDOWN))
    assert markdown_title(MARKDOWN) == "Privacybeleid Webshop Zonnebloem"
    assert markdown_title("## Alleen een subkop\n\ntekst") == ""


def test_markdown_setext_headings():
    blocks = load_markdown("Privacy\n=======\n\nTekst.\n\nCookies\n-------\n\nMeer tekst.")
    assert [b.heading_path for b in blocks if not b.is_heading] == [("Privacy",), ("Privacy", "Cookies")]


def test_plain_text_paragraphs_on_blank_lines():
    text = "Bewaartermijnen\n\nKlantgegevens bewaren we\n7 jaar.\n  \n\nFacturen ook 7 jaar.\n"
    assert load_plain_text(text) == [
        TextBlock("Bewaartermijnen"),
        TextBlock("Klantgegevens bewaren we 7 jaar."),  # a hard-wrapped line is not a sentence end
        TextBlock("Facturen ook 7 jaar."),
    ]


# --- HTML --------------------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html lang="nl"><head><title>Privacyverklaring | Webshop Zonnebloem</title>
<style>.x { color: red }</style><script>var tracking = "GEHEIM-SCRIPT";</script></head>
<body>
<nav><a href="/">Home</a> <a href="/winkel">NAVIGATIE-MENU</a></nav>
<h1>Privacyverklaring</h1>
<p>Webshop   Zonnebloem verwerkt <b>uw</b> gegevens.<br>Vragen? Mail ons.</p>
<div hidden>VERBORGEN-HIDDEN</div>
<p style="color: red; display : none">VERBORGEN-DISPLAY</p>
<span style="visibility:hidden">VERBORGEN-VISIBILITY</span>
<noscript>GEEN-SCRIPT</noscript><template><p>SJABLOON</p></template>
<h2>Bewaartermijnen</h2>
<ul><li>Klantgegevens: 7 jaar</li><li>Nieuwsbrief: tot afmelding</li></ul>
<table><tr><th>Gegeven</th><th>Termijn</th></tr><tr><td>Facturen</td><td>7 jaar</td></tr></table>
<h3>Cookies</h3>
<blockquote>Analytische cookies bewaren we 1 jaar.</blockquote>
<pre>termijn = 1 jaar</pre>
<!-- COMMENTAAR -->
<footer>VOETTEKST</footer>
<script>document.write("NOG-EEN-SCRIPT")</script>
</body></html>"""


def test_html_title_and_heading_path():
    title, blocks = load_html(HTML)
    assert title == "Privacyverklaring | Webshop Zonnebloem"
    body = {b.text: b.heading_path for b in blocks if not b.is_heading}
    assert body["Webshop Zonnebloem verwerkt uw gegevens.\nVragen? Mail ons."] == ("Privacyverklaring",)
    assert body["Klantgegevens: 7 jaar"] == ("Privacyverklaring", "Bewaartermijnen")
    assert body["Analytische cookies bewaren we 1 jaar."] == (
        "Privacyverklaring",
        "Bewaartermijnen",
        "Cookies",
    )
    assert body["termijn = 1 jaar"][-1] == "Cookies"


def test_html_tables_become_rows():
    _, blocks = load_html(HTML)
    assert (
        TextBlock("Gegeven | Termijn\nFacturen | 7 jaar", ("Privacyverklaring", "Bewaartermijnen")) in blocks
    )


@pytest.mark.parametrize(
    "hidden",
    [
        "GEHEIM-SCRIPT",
        "NAVIGATIE-MENU",
        "VERBORGEN-HIDDEN",
        "VERBORGEN-DISPLAY",
        "VERBORGEN-VISIBILITY",
        "GEEN-SCRIPT",
        "SJABLOON",
        "COMMENTAAR",
        "VOETTEKST",
        "NOG-EEN-SCRIPT",
        "color",
    ],
)
def test_html_hidden_and_non_content_text_is_dropped(hidden):
    _, blocks = load_html(HTML)
    assert not any(hidden in b.text for b in blocks)


def test_html_without_title_uses_first_h1():
    title, _ = load_html("<html><body><h1>Cookiebeleid</h1><p>Tekst</p></body></html>")
    assert title == "Cookiebeleid"


def test_html_loose_text_in_divs_is_kept():
    _, blocks = load_html("<body><div>Losse <em>tekst</em> zonder alinea</div></body>")
    assert blocks == [TextBlock("Losse tekst zonder alinea")]


# --- DOCX --------------------------------------------------------------------------------------


def make_docx(core_title: str = "Bewaarbeleid Zonnebloem") -> bytes:
    document = docx.Document()
    document.core_properties.title = core_title
    document.add_heading("Bewaarbeleid", level=0)
    document.add_paragraph("Dit beleid geldt voor Webshop Zonnebloem.")
    document.add_heading("Bewaartermijnen", level=1)
    document.add_heading("Klantgegevens", level=2)
    document.add_paragraph("Klantgegevens bewaren we 7 jaar.")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [("Gegeven", "Termijn", "Grondslag"), ("Facturen", "7 jaar", "fiscale plicht"), ("Notitie", "", "")]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(2, 0).merge(table.cell(2, 2)).text = "Geldt voor alle vestigingen"
    document.add_paragraph("Na de tabel volgt nog een alinea.")
    document.add_heading("Cookies", level=1)
    document.add_paragraph("Cookies bewaren we 1 jaar.\u200b")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_headings_make_the_path_and_order_is_kept():
    blocks = load_docx(make_docx())
    body = [(b.text, b.heading_path) for b in blocks if not b.is_heading]
    assert body == [
        ("Dit beleid geldt voor Webshop Zonnebloem.", ("Bewaarbeleid",)),
        ("Klantgegevens bewaren we 7 jaar.", ("Bewaarbeleid", "Bewaartermijnen", "Klantgegevens")),
        (
            "Gegeven | Termijn | Grondslag\nFacturen | 7 jaar | fiscale plicht\nGeldt voor alle vestigingen",
            ("Bewaarbeleid", "Bewaartermijnen", "Klantgegevens"),
        ),
        ("Na de tabel volgt nog een alinea.", ("Bewaarbeleid", "Bewaartermijnen", "Klantgegevens")),
        ("Cookies bewaren we 1 jaar.", ("Bewaarbeleid", "Cookies")),
    ]
    assert all(b.page == -1 for b in blocks)


def test_docx_title_from_core_properties_else_title_style():
    assert read_docx(make_docx())[0] == "Bewaarbeleid Zonnebloem"
    assert read_docx(make_docx(core_title=""))[0] == "Bewaarbeleid"


@pytest.mark.parametrize("data", [b"PK\x03\x04 kapot", make_docx()[:400], b"geen zip"])
def test_docx_corrupt_gives_dutch_reason(data):
    with pytest.raises(IngestionError, match="Het Word-bestand \\(.docx\\) is beschadigd of onleesbaar"):
        load_docx(data)


# --- PDF ---------------------------------------------------------------------------------------

PDF_PAGES = [
    [
        "PRIVACYBELEID",
        "Webshop Zonnebloem verwerkt persoonsgegevens van",
        "klanten. Daarbij houden we ons aan de AVG.",
    ],
    [],  # a page without text
    [
        "2.1 Bewaartermijnen",
        "Klantgegevens bewaren we 7 jaar vanwege de fiscale bewaar-",
        "plicht. Daarna verwijderen we ze.",
        "- facturen: 7 jaar",
        "- nieuwsbrief: tot afmelding",
    ],
]


def test_pdf_pages_are_kept_one_based():
    blocks = load_pdf(make_pdf(PDF_PAGES))
    body = [(b.text, b.page) for b in blocks if not b.is_heading]
    assert body == [
        ("Webshop Zonnebloem verwerkt persoonsgegevens van klanten. Daarbij houden we ons aan de AVG.", 1),
        ("Klantgegevens bewaren we 7 jaar vanwege de fiscale bewaarplicht. Daarna verwijderen we ze.", 3),
        ("- facturen: 7 jaar", 3),
        ("- nieuwsbrief: tot afmelding", 3),
    ]


def test_pdf_simple_headings():
    blocks = load_pdf(make_pdf(PDF_PAGES))
    assert blocks[0] == TextBlock("PRIVACYBELEID", ("PRIVACYBELEID",), 1, is_heading=True)
    facturen = next(b for b in blocks if b.text.startswith("- facturen"))
    assert facturen.heading_path == ("PRIVACYBELEID", "2.1 Bewaartermijnen")


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("BEWAARTERMIJNEN", 1),
        ("2 Bewaartermijnen", 1),
        ("2.1 Klantgegevens", 2),
        ("2.1.3 Facturen en bonnen", 3),
        ("Klantgegevens bewaren we 7 jaar.", None),
        ("AVG", None),
        ("2.1 klantgegevens in kleine letters", None),
        ("EEN HELE LANGE REGEL IN HOOFDLETTERS DIE VEEL TE LANG IS VOOR EEN KOP ECHT WAAR", None),
    ],
)
def test_pdf_heading_level(line, level):
    assert heading_level(line) == level


def test_pdf_metadata_title_and_accents():
    title, blocks = read_pdf(make_pdf([["Café Zonnebloem bewaart € 0 aan gegevens."]], title="Beleid – café"))
    assert title == "Beleid – café"
    assert blocks == [TextBlock("Café Zonnebloem bewaart € 0 aan gegevens.", (), 1)]


def test_pdf_encrypted_with_password_is_refused():
    with pytest.raises(IngestionError, match="Het PDF-bestand is versleuteld"):
        load_pdf(encrypt_pdf(make_pdf(PDF_PAGES), "geheim"))


def test_pdf_encrypted_with_empty_user_password_is_readable():
    blocks = load_pdf(encrypt_pdf(make_pdf(PDF_PAGES), ""))
    assert any("7 jaar" in b.text for b in blocks)


@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.9])
def test_pdf_truncated_is_corrupt(fraction):
    data = make_pdf(PDF_PAGES)
    with pytest.raises(IngestionError, match="Het PDF-bestand is beschadigd of onleesbaar"):
        load_pdf(data[: int(len(data) * fraction)])


def test_pdf_without_text_layer_is_probably_a_scan():
    with pytest.raises(IngestionError, match="Geen tekstlaag gevonden: is dit een scan\\?"):
        load_pdf(make_pdf([[], []]))

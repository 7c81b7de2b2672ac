"""Formex XML loader: a hand-written fixture, unsafe XML, and the real AVG corpus when present."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.errors import IngestionError
from ingestion.eurlex_html import parse_eurlex_html
from ingestion.formex import looks_like_formex, parse_formex
from ingestion.law_chunker import chunk_law
from ingestion.model import Article, LawText, Segment

FIXTURES = Path(__file__).parent / "fixtures" / "law"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FORMEX_FILE = CORPUS / "avg-formex" / "gdpr-consolidated-nl.xml"
HTML_DIR = CORPUS / "avg-eurlex-html"

needs_corpus = pytest.mark.skipif(
    not (FORMEX_FILE.is_file() and HTML_DIR.is_dir()), reason="AVG-corpus (../shared/corpus) ontbreekt"
)

#: Where the 2016 HTML and the 2018 consolidated Formex text really differ in structure: the
#: Official Journal of 2016 labels the points of art. 13 lid 1 a, b, c, d, d, e (the second "d)"
#: is a misprint); the corrigendum of 2018 (L 127) relabels them a–f.
KNOWN_POINT_DIFFERENCES = {("13", "1"): (["a", "b", "c", "d", "d", "e"], ["a", "b", "c", "d", "e", "f"])}


@pytest.fixture(scope="module")
def fixture_act() -> LawText:
    return parse_formex((FIXTURES / "formex_act.xml").read_bytes())


def _article(law_text: LawText, number: str) -> Article:
    return next(a for a in law_text.articles if a.number == number)


# --- fixture --------------------------------------------------------------------------------


def test_fixture_articles_leden_points(fixture_act: LawText) -> None:
    assert [(a.number, a.title) for a in fixture_act.articles] == [
        ("1", "Onderwerp"),
        ("2", "Definities"),
        ("3", "Kaboutertoezicht"),
    ]
    lid2 = _article(fixture_act, "1").paragraphs[1]
    assert lid2.number == "2"
    assert lid2.segments == [
        Segment("Een kabouter wordt alleen verplaatst indien:"),
        Segment("de eigenaar daarmee instemt; of", "a"),
        Segment("de kabouter het verkeer hindert, namelijk: i) op de rijbaan, of ii) op het fietspad.", "b"),
        Segment("De eerste alinea, punt b), geldt niet voor kabouters met een vishengel."),
    ]


def test_fixture_definitions_quotes_and_sub_points(fixture_act: LawText) -> None:
    (paragraph,) = _article(fixture_act, "2").paragraphs
    assert paragraph.number == ""
    assert [s.point for s in paragraph.segments] == ["", "1", "2", "3"]
    assert paragraph.segments[1].text == "„kabouter”: een beeldje van ten hoogste 60 cm met een puntmuts;"
    assert paragraph.segments[2].text == "„tuin”: a) een voortuin; b) een achtertuin;"


def test_fixture_dash_list_numbers_and_chapters(fixture_act: LawText) -> None:
    article = _article(fixture_act, "3")
    assert [s.text for s in article.paragraphs[0].segments] == [
        "De toezichthouder wordt benoemd door:",
        "— de gemeenteraad; of",
        "— de burgemeester.",
    ]
    assert article.paragraphs[1].segments[0].text == "Een boete bedraagt ten hoogste 1 000 000 EUR."
    assert article.chapter == "Hoofdstuk II Toezicht en slotbepalingen"  # not the section "Afdeling 1"
    assert _article(fixture_act, "1").chapter == "Hoofdstuk I Algemene bepalingen"


def test_fixture_recitals_drop_footnotes(fixture_act: LawText) -> None:
    assert [r.number for r in fixture_act.recitals] == ["1", "2", "3"]
    assert (
        fixture_act.recitals[1].text == "Richtlijn 2098/1/EU van de Raad regelt alleen de verf van kabouters."
    )
    assert (
        fixture_act.recitals[2].text
        == "Een kabouter mag worden geverfd door de eigenaar, of door een erkende schilder."
    )


def test_fixture_law_name_and_override(fixture_act: LawText) -> None:
    assert (fixture_act.law, fixture_act.title) == ("Verordening (EU) 2099/42", "Verordening (EU) 2099/42")
    assert parse_formex((FIXTURES / "formex_act.xml").read_bytes(), law="KV").law == "KV"


def test_fixture_matches_the_same_text_in_html(fixture_act: LawText) -> None:
    html = parse_eurlex_html((FIXTURES / "oj2016.html").read_text(encoding="utf-8"))
    assert [(a.number, a.title, a.chapter) for a in html.articles] == [
        (a.number, a.title, a.chapter) for a in fixture_act.articles
    ]
    assert html.recitals == fixture_act.recitals


def test_looks_like_formex() -> None:
    assert looks_like_formex((FIXTURES / "formex_act.xml").read_bytes())
    assert not looks_like_formex(b"<?xml version='1.0'?><rss><channel><title>Nieuws</title></channel></rss>")
    assert not looks_like_formex((FIXTURES / "oj2016.html").read_bytes())


# --- unsafe and broken XML ------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE ACT [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<ACT><ARTICLE><TI.ART>Artikel 1</TI.ART><ALINEA>&lol3;</ALINEA></ARTICLE></ACT>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE ACT [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<ACT><ARTICLE><TI.ART>Artikel 1</TI.ART><ALINEA>&xxe;</ALINEA></ARTICLE></ACT>"""


@pytest.mark.parametrize(
    "data", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["entity-expansion", "external-entity"]
)
def test_unsafe_xml_is_refused(data: bytes) -> None:
    with pytest.raises(IngestionError, match="^Onveilig XML-bestand geweigerd: "):
        parse_formex(data)


def test_broken_xml_and_empty_act_are_refused() -> None:
    with pytest.raises(IngestionError, match="^Ongeldig XML-bestand"):
        parse_formex(b"<ACT><ARTICLE></ACT>")
    with pytest.raises(IngestionError, match="Geen wetsartikelen gevonden in dit Formex-bestand."):
        parse_formex(b"<ACT><TITLE><TI><P>Leeg</P></TI></TITLE></ACT>")


# --- the real AVG corpus ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def formex_avg() -> LawText:
    return parse_formex(FORMEX_FILE.read_bytes())


@pytest.fixture(scope="module")
def html_articles() -> list[Article]:
    files = [HTML_DIR / f"chapter-{n}.html" for n in range(1, 11)]
    return [a for f in files for a in parse_eurlex_html(f.read_text(encoding="utf-8")).articles]


@needs_corpus
def test_corpus_formex_counts_and_title(formex_avg: LawText) -> None:
    assert looks_like_formex(FORMEX_FILE.read_bytes())
    assert (formex_avg.law, formex_avg.title) == ("AVG", "AVG (Verordening (EU) 2016/679)")
    assert [a.number for a in formex_avg.articles] == [str(n) for n in range(1, 100)]
    assert [r.number for r in formex_avg.recitals] == [str(n) for n in range(1, 174)]
    assert all(a.title for a in formex_avg.articles)
    assert "van het Europees Parlement en de Raad heeft tot doel" in formex_avg.recitals[2].text


@needs_corpus
def test_corpus_formex_matches_html_structure(formex_avg: LawText, html_articles: list[Article]) -> None:
    assert [a.number for a in formex_avg.articles] == [a.number for a in html_articles]
    for xml_article, html_article in zip(formex_avg.articles, html_articles, strict=True):
        number = xml_article.number
        assert xml_article.title == html_article.title, number
        assert xml_article.chapter == html_article.chapter, number
        assert [p.number for p in xml_article.paragraphs] == [p.number for p in html_article.paragraphs], (
            number
        )
        for xml_lid, html_lid in zip(xml_article.paragraphs, html_article.paragraphs, strict=True):
            xml_points = [s.point for s in xml_lid.segments if s.point]
            html_points = [s.point for s in html_lid.segments if s.point]
            expected = KNOWN_POINT_DIFFERENCES.get((number, xml_lid.number))
            if expected:
                assert (html_points, xml_points) == expected
            else:
                assert xml_points == html_points, (number, xml_lid.number)


@needs_corpus
def test_corpus_formex_key_provisions(formex_avg: LawText) -> None:
    by_number = {a.number: a for a in formex_avg.articles}
    lid1 = by_number["6"].paragraphs[0]
    assert [s.point for s in lid1.segments if s.point] == ["a", "b", "c", "d", "e", "f"]
    assert lid1.segments[-1].text.startswith("De eerste alinea, punt f), geldt niet")
    assert "72 uur" in by_number["33"].paragraphs[0].segments[0].text
    definitions = by_number["4"].paragraphs[0]
    assert [s.point for s in definitions.segments if s.point] == [str(n) for n in range(1, 27)]
    assert definitions.segments[1].text.startswith("„persoonsgegevens”: alle informatie over")
    assert "20 000 000 EUR" in by_number["83"].paragraphs[4].segments[0].text
    chunk = next(c for c in chunk_law(formex_avg, "gdpr.xml") if c.metadata["citation"] == "art. 6 lid 1 AVG")
    assert chunk.page_content.startswith("Artikel 6 — Rechtmatigheid van de verwerking\n1. ")

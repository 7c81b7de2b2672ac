"""EUR-Lex HTML loader: hand-written fixtures per markup style, and the real AVG corpus when present."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.errors import IngestionError
from ingestion.eurlex_html import looks_like_eurlex, parse_eurlex_html
from ingestion.law_chunker import chunk_law
from ingestion.law_names import detect_law_name, law_text_title, regulation_reference
from ingestion.model import Article, LawParagraph, LawText, Segment

FIXTURES = Path(__file__).parent / "fixtures" / "law"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "avg-eurlex-html"
CHAPTER_FILES = [f"chapter-{n}.html" for n in range(1, 11)]

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="AVG-corpus (../shared/corpus) ontbreekt")


def _fixture(name: str) -> LawText:
    return parse_eurlex_html((FIXTURES / name).read_text(encoding="utf-8"))


def _article(law_text: LawText, number: str) -> Article:
    return next(a for a in law_text.articles if a.number == number)


def _lid(article: Article, number: str) -> LawParagraph:
    return next(p for p in article.paragraphs if p.number == number)


def _points(paragraph: LawParagraph) -> list[str]:
    return [s.point for s in paragraph.segments if s.point]


# --- fixtures: the three class styles and the text-pattern fallback -----------------------------


def test_oj2016_style_articles_leden_and_points() -> None:
    law_text = _fixture("oj2016.html")
    assert [a.number for a in law_text.articles] == ["1", "2", "3"]
    assert [a.title for a in law_text.articles] == ["Onderwerp", "Definities", "Kaboutertoezicht"]
    lid2 = _lid(_article(law_text, "1"), "2")
    assert lid2.segments == [
        Segment("Een kabouter wordt alleen verplaatst indien:"),
        Segment("de eigenaar daarmee instemt; of", "a"),
        Segment("de kabouter het verkeer hindert.", "b"),
        Segment("De eerste alinea, punt b), geldt niet voor kabouters met een vishengel."),
    ]


def test_oj2016_style_definitions_without_leden_keep_term_and_sub_points() -> None:
    definitions = _article(_fixture("oj2016.html"), "2")
    assert [p.number for p in definitions.paragraphs] == [""]
    segments = definitions.paragraphs[0].segments
    assert segments[0] == Segment("Voor de toepassing van deze verordening wordt verstaan onder:")
    assert [s.point for s in segments[1:]] == ["1", "2", "3"]
    assert segments[1].text == "„kabouter”: een beeldje van ten hoogste 60 cm met een puntmuts;"
    assert segments[2].text == "„tuin”: a) een voortuin; b) een achtertuin;"


def test_oj2016_style_recitals_chapters_and_footnotes() -> None:
    law_text = _fixture("oj2016.html")
    assert [r.number for r in law_text.recitals] == ["1", "2", "3"]
    assert law_text.recitals[1].text == "Richtlijn 2098/1/EU van de Raad regelt alleen de verf van kabouters."
    assert law_text.recitals[2].text.startswith("Een kabouter mag worden geverfd door de eigenaar, of door")
    assert _article(law_text, "1").chapter == "Hoofdstuk I Algemene bepalingen"
    # a section heading ("Afdeling 1") does not replace the chapter
    assert _article(law_text, "3").chapter == "Hoofdstuk II Toezicht en slotbepalingen"


def test_oj2016_style_dash_items_and_closing_formula() -> None:
    article = _article(_fixture("oj2016.html"), "3")
    assert [s.text for s in _lid(article, "1").segments] == [
        "De toezichthouder wordt benoemd door:",
        "— de gemeenteraad; of",
        "— de burgemeester.",
    ]
    last = _lid(article, "2").segments
    assert last == [Segment("Deze verordening is van toepassing met ingang van 1 januari 2100.")]


def test_oj2016_style_law_name_and_title() -> None:
    law_text = _fixture("oj2016.html")
    assert law_text.law == "Verordening (EU) 2099/42"
    assert law_text.title == "Verordening (EU) 2099/42"
    assert parse_eurlex_html((FIXTURES / "oj2016.html").read_text(), law="KV").law == "KV"


def test_modern_oj_style() -> None:
    law_text = _fixture("oj_modern.html")
    assert law_text.law == "Verordening (EU) 2099/43"  # its own title, not the act cited in recital 2
    assert [r.number for r in law_text.recitals] == ["1", "2"]
    assert law_text.recitals[1].text.endswith("de Raad is van overeenkomstige toepassing.")
    first = _article(law_text, "1")
    assert (first.title, first.chapter) == ("Afmetingen", "Hoofdstuk I Vogelhuisjes")
    lid2 = _lid(first, "2")
    assert _points(lid2) == ["a", "b", "c"]
    assert (
        lid2.segments[2].text
        == "het huisje wordt opgehangen: i) buiten bereik van katten, en ii) uit de volle zon;"
    )
    assert lid2.segments[-1] == Segment("De eerste alinea, punt c), geldt niet in het broedseizoen.")
    second = _article(law_text, "2")
    assert second.title == "Inwerkingtreding"
    assert [p.number for p in second.paragraphs] == [""]
    assert "verbindend" not in " ".join(s.text for s in second.paragraphs[0].segments)


def test_consolidated_style() -> None:
    law_text = _fixture("consolidated.html")
    assert law_text.law == "Verordening (EU) 2099/44"
    assert [a.number for a in law_text.articles] == ["1", "1a", "2"]
    assert [a.title for a in law_text.articles] == [
        "Toewijzing van tuinen",
        "Composthopen",
        "Inwerkingtreding",
    ]
    first = _article(law_text, "1")
    assert _lid(first, "1").segments == [
        Segment("Elke gemeente wijst volkstuinen toe volgens een openbare wachtlijst.")
    ]
    lid2 = _lid(first, "2")
    assert _points(lid2) == ["a", "b"]
    assert lid2.segments[2].text == (
        "de tuin verwaarloost, namelijk: i) door onkruid te laten woekeren, "
        "of ii) door het hek te laten vervallen;"
    )
    assert lid2.segments[-1].text.startswith("De eerste alinea, punt b), geldt niet")
    assert [p.number for p in _article(law_text, "1a").paragraphs] == [""]
    assert [p.number for p in _article(law_text, "2").paragraphs] == ["1", "2"]
    assert _article(law_text, "2").chapter == "Hoofdstuk II Slotbepalingen"
    assert law_text.title == "Verordening (EU) 2099/44"  # starts at article 1: the whole act


def test_text_pattern_fallback_without_classes() -> None:
    law_text = _fixture("plain.html")
    assert [(a.number, a.title) for a in law_text.articles] == [
        ("1", "Toegang"),
        ("2", "Begrippen"),
        ("3", "Citeertitel"),
    ]
    lid2 = _lid(_article(law_text, "1"), "2")
    assert _points(lid2) == ["a", "b"]
    assert lid2.segments[-1] == Segment("Het bepaalde onder b) geldt niet op zondag.")
    assert _points(_article(law_text, "2").paragraphs[0]) == ["1", "2"]
    assert _article(law_text, "3").chapter == "Hoofdstuk II Slotbepaling"
    assert law_text.law == "Reglement fietsenstalling De Spaak"  # nothing detected: the page title


def test_looks_like_eurlex_routes_only_legislation() -> None:
    for name in ("oj2016.html", "oj_modern.html", "consolidated.html", "plain.html"):
        assert looks_like_eurlex((FIXTURES / name).read_text(encoding="utf-8")), name
    ordinary = "<html><body><h1>Privacyverklaring</h1><p>Wij volgen Artikel 6 van de AVG.</p></body></html>"
    assert not looks_like_eurlex(ordinary)


def test_page_without_articles_is_refused() -> None:
    with pytest.raises(IngestionError, match="Geen wetsartikelen gevonden in dit HTML-bestand."):
        parse_eurlex_html("<html><body><h1>Nieuws</h1><p>Niets te zien.</p></body></html>")


def test_stray_numbered_sentence_is_not_a_lid() -> None:
    html = "<p class='ti-art'>Artikel 7</p><p class='sti-art'>Termijn</p><p class='normal'>1. Eerste lid.</p>"
    html += "<p class='normal'>2018. Geen nieuw lid.</p>"
    (article,) = parse_eurlex_html(html).articles
    assert [p.number for p in article.paragraphs] == ["1"]
    assert article.paragraphs[0].segments[-1].text == "2018. Geen nieuw lid."


def test_law_names() -> None:
    assert detect_law_name("Verordening (EU) 2016/679 (algemene verordening gegevensbescherming)") == "AVG"
    assert detect_law_name("CELEX:32016R0679") == "AVG"
    assert detect_law_name("GDPR - Beginselen") == "AVG"
    assert (
        detect_law_name("VERORDENING (EU) 2019/1150 VAN HET EUROPEES PARLEMENT")
        == "Verordening (EU) 2019/1150"
    )
    assert detect_law_name("Een gewone nieuwsbrief") == ""
    assert regulation_reference("CELEX 32022R2065") == "Verordening (EU) 2022/2065"
    assert law_text_title("AVG", "Verordening (EU) 2016/679", [], True) == "AVG — Overwegingen"
    assert law_text_title("AVG", "Verordening (EU) 2016/679", ["Hoofdstuk II Beginselen"], False) == (
        "AVG — Hoofdstuk II: Beginselen"
    )


# --- the real AVG corpus ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def chapters() -> list[LawText]:
    return [parse_eurlex_html((CORPUS / name).read_text(encoding="utf-8")) for name in CHAPTER_FILES]


@pytest.fixture(scope="module")
def avg_articles(chapters: list[LawText]) -> dict[str, Article]:
    return {article.number: article for law_text in chapters for article in law_text.articles}


@needs_corpus
def test_corpus_chapters_hold_all_99_articles_with_titles(chapters: list[LawText]) -> None:
    numbers = [article.number for law_text in chapters for article in law_text.articles]
    assert numbers == [str(n) for n in range(1, 100)]
    assert all(article.title for law_text in chapters for article in law_text.articles)
    assert all(law_text.law == "AVG" and not law_text.recitals for law_text in chapters)
    assert all(looks_like_eurlex((CORPUS / name).read_text(encoding="utf-8")) for name in CHAPTER_FILES)


@needs_corpus
def test_corpus_chapter_titles(chapters: list[LawText], avg_articles: dict[str, Article]) -> None:
    assert chapters[2].title == "AVG — Hoofdstuk III: Rechten van de betrokkene"
    assert avg_articles["12"].chapter == "Hoofdstuk III Rechten van de betrokkene"
    assert chapters[9].title == (
        "AVG — Hoofdstuk X: Gedelegeerde handelingen en uitvoeringshandelingen; Hoofdstuk XI: Slotbepalingen"
    )


@needs_corpus
def test_corpus_intro_gives_173_recitals() -> None:
    html = (CORPUS / "intro.html").read_text(encoding="utf-8")
    assert looks_like_eurlex(html)
    law_text = parse_eurlex_html(html)
    assert (law_text.law, law_text.title, law_text.articles) == ("AVG", "AVG — Overwegingen", [])
    assert [r.number for r in law_text.recitals] == [str(n) for n in range(1, 174)]
    assert all(r.text for r in law_text.recitals)
    # footnote markers are dropped without gluing words or leaving a space before punctuation
    assert "van het Europees Parlement en de Raad heeft tot doel" in law_text.recitals[2].text
    assert "op 7 maart 2012 advies uitgebracht." in law_text.recitals[171].text
    assert "\u2063" not in " ".join(r.text for r in law_text.recitals)


@needs_corpus
def test_corpus_article_6_lid_1(avg_articles: dict[str, Article]) -> None:
    article = avg_articles["6"]
    assert article.title == "Rechtmatigheid van de verwerking"
    assert [p.number for p in article.paragraphs] == ["1", "2", "3", "4"]
    lid1 = article.paragraphs[0]
    assert _points(lid1) == ["a", "b", "c", "d", "e", "f"]
    assert lid1.segments[0].text.startswith("De verwerking is alleen rechtmatig")
    assert lid1.segments[-1].point == ""
    assert lid1.segments[-1].text.startswith("De eerste alinea, punt f), geldt niet voor de verwerking")


@needs_corpus
def test_corpus_article_33_and_4(avg_articles: dict[str, Article]) -> None:
    assert "72 uur" in avg_articles["33"].paragraphs[0].segments[0].text
    definitions = avg_articles["4"]
    assert [p.number for p in definitions.paragraphs] == [""]
    assert _points(definitions.paragraphs[0]) == [str(n) for n in range(1, 27)]
    first = definitions.paragraphs[0].segments[1]
    assert first.text.startswith("„persoonsgegevens”: alle informatie over een geïdentificeerde")
    main_establishment = definitions.paragraphs[0].segments[16]
    assert main_establishment.point == "16"
    assert main_establishment.text.startswith(
        "„hoofdvestiging”: a) met betrekking tot een verwerkingsverantwoordelijke"
    )
    assert " b) met betrekking tot een verwerker" in main_establishment.text


@needs_corpus
def test_corpus_footnote_inside_article_leaves_no_gap(avg_articles: dict[str, Article]) -> None:
    point_b = next(s for s in avg_articles["43"].paragraphs[0].segments if s.point == "b")
    assert (
        "van het Europees Parlement en de Raad, in overeenstemming met EN-ISO/IEC 17065/2012" in point_b.text
    )


@needs_corpus
def test_corpus_article_6_lid_1_chunk(chapters: list[LawText]) -> None:
    chunks = chunk_law(chapters[1], "chapter-2.html")
    (chunk,) = [c for c in chunks if c.metadata["article"] == "6" and c.metadata["paragraph"] == "1"]
    assert chunk.metadata["citation"] == "art. 6 lid 1 AVG"
    assert chunk.page_content.startswith("Artikel 6 — Rechtmatigheid van de verwerking\n1. De verwerking")
    assert "\nf) de verwerking is noodzakelijk voor de behartiging" in chunk.page_content


@needs_corpus
def test_corpus_as_one_whole_document_page() -> None:
    bodies = []
    for name in ["intro.html", *CHAPTER_FILES]:
        html = (CORPUS / name).read_text(encoding="utf-8")
        bodies.append(html[html.index("<body>") + len("<body>") : html.index("</body>")])
    page = "<html><head><title>EUR-Lex</title></head><body>" + "\n".join(bodies) + "</body></html>"
    law_text = parse_eurlex_html(page)
    assert (law_text.law, law_text.title) == ("AVG", "AVG (Verordening (EU) 2016/679)")
    assert len(law_text.articles) == 99 and len(law_text.recitals) == 173
    last = law_text.articles[-1].paragraphs[-1].segments
    assert last == [Segment("Zij is van toepassing met ingang van 25 mei 2018.")]

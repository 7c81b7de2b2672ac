"""Chunking ordinary documents along headings, paragraphs and pages."""

from __future__ import annotations

import pytest

from ingestion.document_chunker import MAX_CHUNK_WORDS, chunk_blocks, split_sentences
from ingestion.model import CHUNK_METADATA_KEYS, TextBlock

TITLE = "Privacybeleid Zonnebloem"
RETENTION = ("Bewaartermijnen", "Klantgegevens")


def words(n: int, word: str = "klantgegevens") -> str:
    return " ".join([word] * n)


def test_metadata_follows_the_shared_keys():
    blocks = [TextBlock("Klantgegevens bewaren we 7 jaar.", RETENTION, 3)]
    [chunk] = chunk_blocks(blocks, TITLE, "beleid.pdf", kind="beleid")
    assert tuple(chunk.metadata) == CHUNK_METADATA_KEYS
    assert chunk.metadata == {
        "kind": "beleid",
        "law": "",
        "article": "",
        "paragraph": "",
        "point": "",
        "recital": "",
        "citation": "Privacybeleid Zonnebloem, Klantgegevens, p. 3",
        "document": TITLE,
        "source": "beleid.pdf",
        "heading": "Bewaartermijnen > Klantgegevens",
        "page": 3,
        "chunk_index": 0,
    }


def test_heading_path_is_the_first_line():
    [chunk] = chunk_blocks([TextBlock("Klantgegevens bewaren we 7 jaar.", RETENTION)], TITLE, "b.md")
    assert chunk.page_content == "Bewaartermijnen > Klantgegevens\nKlantgegevens bewaren we 7 jaar."
    assert chunk.metadata["page"] == -1
    assert chunk.metadata["citation"] == "Privacybeleid Zonnebloem, Klantgegevens"


def test_text_without_heading_has_no_heading_line():
    [chunk] = chunk_blocks([TextBlock("Losse tekst.")], TITLE, "b.txt")
    assert chunk.page_content == "Losse tekst."
    assert chunk.metadata["heading"] == ""
    assert chunk.metadata["citation"] == TITLE
    assert chunk.metadata["kind"] == "document"


def test_blocks_under_one_heading_and_page_are_packed():
    blocks = [
        TextBlock("Bewaartermijnen", ("Bewaartermijnen",), 1, is_heading=True),
        TextBlock("Klantgegevens: 7 jaar.", ("Bewaartermijnen",), 1),
        TextBlock("Facturen: 7 jaar.", ("Bewaartermijnen",), 1),
        TextBlock("Nieuwsbrief: tot afmelding.", ("Bewaartermijnen",), 1),
    ]
    [chunk] = chunk_blocks(blocks, TITLE, "b.pdf")
    assert chunk.page_content == (
        "Bewaartermijnen\nKlantgegevens: 7 jaar.\nFacturen: 7 jaar.\nNieuwsbrief: tot afmelding."
    )


def test_new_heading_and_new_page_start_new_chunks():
    blocks = [
        TextBlock("Bewaartermijnen", ("Bewaartermijnen",), 1, is_heading=True),
        TextBlock("Klantgegevens: 7 jaar.", ("Bewaartermijnen",), 1),
        TextBlock("Facturen: 7 jaar.", ("Bewaartermijnen",), 2),
        TextBlock("Cookies", ("Cookies",), 2, is_heading=True),
        TextBlock("Cookies: 1 jaar.", ("Cookies",), 2),
    ]
    chunks = chunk_blocks(blocks, TITLE, "b.pdf")
    assert [(c.metadata["heading"], c.metadata["page"]) for c in chunks] == [
        ("Bewaartermijnen", 1),
        ("Bewaartermijnen", 2),
        ("Cookies", 2),
    ]
    assert [c.metadata["chunk_index"] for c in chunks] == [0, 1, 2]
    assert [c.metadata["citation"] for c in chunks] == [
        "Privacybeleid Zonnebloem, Bewaartermijnen, p. 1",
        "Privacybeleid Zonnebloem, Bewaartermijnen, p. 2",
        "Privacybeleid Zonnebloem, Cookies, p. 2",
    ]


def test_repeated_heading_text_still_starts_a_new_chunk():
    blocks = [
        TextBlock("Contact", ("Contact",), is_heading=True),
        TextBlock("Eerste sectie.", ("Contact",)),
        TextBlock("Contact", ("Contact",), is_heading=True),
        TextBlock("Tweede sectie.", ("Contact",)),
    ]
    assert len(chunk_blocks(blocks, TITLE, "b.md")) == 2


def test_packing_stops_at_the_word_limit_without_splitting_blocks():
    block = words(80) + "."
    blocks = [TextBlock(block, RETENTION) for _ in range(5)]
    chunks = chunk_blocks(blocks, TITLE, "b.docx")
    bodies = [c.page_content.split("\n")[1:] for c in chunks]
    assert [len(b) for b in bodies] == [2, 2, 1]
    assert all(line == block for body in bodies for line in body)


@pytest.mark.parametrize("opening", ["Klantgegevens", "klantgegevens"])
def test_a_block_over_the_limit_is_split_on_sentences(opening):
    sentence = f"{opening} {words(28)} bewaren."  # 30 words
    long_block = " ".join([sentence] * 10)  # 300 words
    chunks = chunk_blocks([TextBlock(long_block, RETENTION, 4)], TITLE, "b.pdf")
    assert len(chunks) == 2
    for chunk in chunks:
        heading, body = chunk.page_content.split("\n", 1)
        assert heading == "Bewaartermijnen > Klantgegevens"
        assert len(body.split()) <= MAX_CHUNK_WORDS
        assert body.endswith("bewaren.")
        assert chunk.metadata["page"] == 4
    joined = " ".join(c.page_content.split("\n", 1)[1] for c in chunks)
    assert joined == long_block


def test_split_sentences_keeps_abbreviations_and_lines():
    text = "Zie o.a. de AVG. " * 3 + "\nrij een | 7 jaar\nrij twee | 1 jaar"
    assert split_sentences(text, limit=9) == [
        "Zie o.a. de AVG. Zie o.a. de AVG.",
        "Zie o.a. de AVG.\nrij een | 7 jaar",
        "rij twee | 1 jaar",
    ]


def test_lowercase_sentences_fall_back_to_any_sentence_mark():
    assert split_sentences("aa bb. cc dd ee. ff", limit=3) == ["aa bb.", "cc dd ee.", "ff"]


def test_a_sentence_over_the_limit_is_cut_on_words():
    pieces = split_sentences(words(500), limit=MAX_CHUNK_WORDS)
    assert [len(p.split()) for p in pieces] == [220, 220, 60]


def test_section_with_only_a_heading_keeps_its_heading():
    blocks = [
        TextBlock("Privacy", ("Privacy",), is_heading=True),
        TextBlock("Bewaartermijnen", ("Privacy", "Bewaartermijnen"), is_heading=True),
        TextBlock("Contact", ("Privacy", "Contact"), is_heading=True),
        TextBlock("Mail ons.", ("Privacy", "Contact")),
    ]
    chunks = chunk_blocks(blocks, TITLE, "b.md")
    assert [c.page_content for c in chunks] == ["Privacy > Bewaartermijnen", "Privacy > Contact\nMail ons."]


def test_no_blocks_no_chunks():
    assert chunk_blocks([], TITLE, "b.md") == []
    assert chunk_blocks([TextBlock("   ")], TITLE, "b.md") == []

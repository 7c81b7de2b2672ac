"""The one plain-text path of the web UI, Dutch dates, natural sort and the answer's HTML."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.features.chat.conversations import ChatMessage
from assistant.interfaces.web.chat_view import feedback_values, message_html
from assistant.interfaces.web.natural_sort import natural_key, roman_value
from assistant.interfaces.web.plain_text import escape_html, fence_markdown, literal_markdown
from ingestion.dutch_dates import dutch_day, dutch_moment

PLANTED = "![x](http://127.0.0.1:9/a.png) <img src=http://127.0.0.1:9/b.png> [l](http://127.0.0.1:9/c)"


def test_fence_leaves_no_image_link_or_tag_but_keeps_formatting() -> None:
    fenced = fence_markdown(f"### Titel\n\n**vet** {PLANTED}\n\n[ref]: http://127.0.0.1:9/d\n| a |<br>| b |")
    assert "![" not in fenced and "](" not in fenced and "<img" not in fenced
    assert "http://" not in fenced and "\\[ref\\]:" in fenced
    assert fenced.startswith("### Titel\n\n**vet**") and "<br>" in fenced


def test_literal_markdown_and_html_escape_show_text_as_text() -> None:
    assert literal_markdown("**niet vet** <b>") == "\\*\\*niet vet\\*\\* &lt;b&gt;"
    assert "](" not in literal_markdown(PLANTED).replace("\\]", "")
    assert escape_html('<img src="x"> {a}') == "&lt;img src=&quot;x&quot;&gt; &#123;a&#125;"


def test_dates_are_dutch_in_amsterdam_time() -> None:
    assert dutch_moment("2026-12-04T20:16:05+00:00") == "4 december 2026, 21:16"
    assert dutch_moment("2026-07-01T10:00:00") == "1 juli 2026, 12:00"  # naive = UTC, summer time
    assert dutch_moment(datetime(2026, 3, 29, 1, 30, tzinfo=UTC)) == "29 maart 2026, 03:30"
    assert dutch_day("2024-05-25") == "25 mei 2024"
    assert dutch_moment("") == "" and dutch_moment("onbekend") == "onbekend"


def test_natural_sort_reads_numbers_and_roman_numerals() -> None:
    titles = ["Hoofdstuk IX", "Hoofdstuk V", "Hoofdstuk 10", "Hoofdstuk 2", "Algemeen", "Hoofdstuk IV"]
    assert sorted(titles, key=natural_key) == [
        "Algemeen",
        "Hoofdstuk 2",
        "Hoofdstuk IV",
        "Hoofdstuk V",
        "Hoofdstuk IX",
        "Hoofdstuk 10",
    ]
    assert roman_value("XIV") == 14 and roman_value("IIII") is None and roman_value("AVG") is None


def test_answer_html_drops_the_source_list_and_links_its_markers() -> None:
    text = (
        "Kort antwoord.\n\nUit de bronnen:\n1. „citaat” (art. 33 AVG)\n\n"
        "Bronnen:\n[1] art. 33 AVG — AVG\n\nSlot."
    )
    shown = message_html(text, 7, 1)
    assert "Bronnen:" not in shown and "— AVG" not in shown
    assert shown.count('href="#antwoord-7-bron-1"') == 1 and shown.endswith("Slot.")
    assert message_html("zie [3]", 7, 1) == "zie [3]"  # no source 3: no link
    assert "<a" not in message_html("vraag [1]")  # a question: text only


def test_feedback_values_count_answers_only() -> None:
    messages = [
        ChatMessage("user", "v1"),
        ChatMessage("assistant", "a1", rating="up"),
        ChatMessage("user", "v2"),
        ChatMessage("assistant", "a2"),
        ChatMessage("user", "v3"),
        ChatMessage("assistant", "a3", rating="down"),
    ]
    assert feedback_values(messages) == ["Like", None, "Dislike"]

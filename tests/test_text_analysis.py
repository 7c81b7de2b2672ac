"""Dutch analysis: folding, stopwords, stemming."""

from knowledge.text_analysis import analyze, fold


def test_fold_strips_diacritics_and_case() -> None:
    assert fold("Geïdentificeerde Ëxtra") == "geidentificeerde extra"


def test_inflections_share_a_stem() -> None:
    assert analyze("verwerkingen")[0] == analyze("verwerking")[0]
    assert analyze("persoonsgegevens") == analyze("Persoonsgegevens")


def test_stopwords_are_dropped() -> None:
    assert analyze("Wat is de termijn van een melding?") == analyze("termijn melding")

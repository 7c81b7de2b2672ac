"""Personal data in text: find, count and mask e-mail, phone, IBAN, BSN, birth dates and names.

Detectors run in a fixed order (e-mail, IBAN, phone, BSN, birth date, name) and a later one
never claims text an earlier one matched, so an IBAN's digits are not also a phone number.
Checksums keep numbers honest: an IBAN must pass mod-97, a BSN the elfproef.

BSN trade-off: one in eleven random 9-digit numbers passes the elfproef, so order and invoice
numbers can look like a BSN. Missing a real BSN costs more than masking an order number, so a
9-digit number that passes the elfproef counts as a BSN, except right after a label that says it
is something else ("ordernummer", "factuur", "klantnummer", "KvK", ...). An 8-digit number (a
BSN written without its leading 0, but also every KvK number) only counts after "BSN",
"burgerservicenummer" or "sofinummer". All patterns have bounded repetition (no runaway regexes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from ingestion.dutch_dates import MONTHS
from ingestion.model import ParsedDocument

#: Category -> (Dutch label for counts, mask).
CATEGORIES: dict[str, tuple[str, str]] = {
    "email": ("e-mailadressen", "[e-mail]"),
    "iban": ("IBAN-nummers", "[IBAN]"),
    "phone": ("telefoonnummers", "[telefoonnummer]"),
    "bsn": ("BSN's", "[BSN]"),
    "birth_date": ("geboortedata", "[geboortedatum]"),
    "name": ("namen", "[naam]"),
}
#: Metadata fields of a chunk that are masked along with its text.
MASKED_METADATA = ("document", "heading", "citation")

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![\w-])")
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}(?![A-Za-z0-9])", re.IGNORECASE)
_NL_IBAN = re.compile(r"NL\d{2}[A-Z]{4}\d{10}")
_PHONE = re.compile(
    r"(?<![\w+@])(?:(?:\+|00)31[ \t-]?(?:\(0\)[ \t-]?)?|\(?0)[1-9](?:[ \t)-]{0,2}\d){8}(?![\w@]|[.,-]\d)"
)
_BSN = re.compile(
    r"(?<![\w.,/€-])(?:\d{9}|\d{3}([ .])\d{3}\1\d{3}|\d{4}\.\d{2}\.\d{3}|\d{8})(?![\w€]|[.,/-]\d)"
)
_BSN_CONTEXT = re.compile(r"\b(?:bsn|burgerservice\s?nummer|sofi-?\s?nummer)", re.IGNORECASE)
_OTHER_NUMBER = re.compile(
    r"\b(?:order|bestel|factuur|klant|kvk|kamer van koophandel|artikel|referentie|kenmerk|polis|dossier"
    r"|rekening|btw|vestiging|transactie|zending|pakket|track|ticket|relatie|lid|pas|tel|postbus)",
    re.IGNORECASE,
)
_MONTHS = "|".join(MONTHS) + "|jan|feb|mrt|apr|jun|jul|aug|sept|sep|okt|nov|dec"
_DATE = re.compile(
    rf"(?<!\d)(?:\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}\s(?:{_MONTHS})\.?\s\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_BIRTH_LABEL = re.compile(r"\b(?:geboortedatum|geboren|geb\.|geb\b|date of birth)", re.IGNORECASE)
_NAME_LABEL = re.compile(
    r"(?<![\w-])(?:naam|achternaam|voornaam|voornamen|roepnaam|geboortenaam|contactpersoon)[ \t]*:[ \t]*",
    re.IGNORECASE,
)
_UPPER = "A-ZÀ-ÖØ-Þ"
_PARTICLES = "van|de|der|den|ter|ten|te|het|in|op|von|du|da|di|la|le|el|'t"
_NAME_WORD = rf"[{_UPPER}][\w'’.-]{{0,40}}"
_NAME = re.compile(rf"{_NAME_WORD}(?:[ \t]{{1,3}}(?:(?:{_PARTICLES})(?![\w'’])|{_NAME_WORD})){{0,5}}")
_LABEL_WINDOW = 40


@dataclass(frozen=True)
class PiiMatch:
    """One piece of personal data: its category (a key of CATEGORIES) and where it is."""

    category: str
    start: int
    end: int
    text: str


@dataclass
class PiiCounts:
    """How many pieces of personal data of each category were found."""

    email: int = 0
    iban: int = 0
    phone: int = 0
    bsn: int = 0
    birth_date: int = 0
    name: int = 0

    @property
    def total(self) -> int:
        """All categories together."""
        return sum(getattr(self, f.name) for f in fields(self))

    def as_dict(self) -> dict[str, int]:
        """Counts under their Dutch labels, every category included."""
        return {CATEGORIES[f.name][0]: getattr(self, f.name) for f in fields(self)}

    def describe(self) -> str:
        """Dutch one-liner of the non-zero counts, e.g. "e-mailadressen: 2, BSN's: 1", or "geen"."""
        parts = [f"{label}: {count}" for label, count in self.as_dict().items() if count]
        return ", ".join(parts) or "geen"

    def __add__(self, other: PiiCounts) -> PiiCounts:
        return PiiCounts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


def find_pii(text: str) -> list[PiiMatch]:
    """All personal data in ``text``, in order and without overlaps."""
    found: list[PiiMatch] = []
    for category, finder in _FINDERS:
        for start, end in finder(text):
            if not any(start < m.end and m.start < end for m in found):
                found.append(PiiMatch(category, start, end, text[start:end]))
    return sorted(found, key=lambda m: m.start)


def scan_pii(text: str) -> PiiCounts:
    """Count the personal data in ``text`` per category."""
    counts = PiiCounts()
    for match in find_pii(text):
        setattr(counts, match.category, getattr(counts, match.category) + 1)
    return counts


def mask_pii(text: str) -> str:
    """Replace every piece of personal data by its mask ("[e-mail]", "[BSN]", ...)."""
    for match in reversed(find_pii(text)):
        text = text[: match.start] + CATEGORIES[match.category][1] + text[match.end :]
    return text


def mask_document(parsed: ParsedDocument) -> PiiCounts:
    """Mask the chunks of ``parsed`` in place (text and title/heading metadata); counts from the text."""
    counts = PiiCounts()
    for chunk in parsed.chunks:
        counts += scan_pii(chunk.page_content)
        chunk.page_content = mask_pii(chunk.page_content)
        for key in MASKED_METADATA:
            value = chunk.metadata.get(key)
            if isinstance(value, str):
                chunk.metadata[key] = mask_pii(value)
    parsed.title = mask_pii(parsed.title)
    return counts


def iban_is_valid(iban: str) -> bool:
    """Whether an IBAN (spaces allowed) has a valid mod-97 checksum (and the Dutch format for NL)."""
    code = iban.replace(" ", "").upper()
    if not 15 <= len(code) <= 34 or not code.isalnum() or not code[:2].isalpha() or not code[2:4].isdigit():
        return False
    if code.startswith("NL") and not _NL_IBAN.fullmatch(code):
        return False
    digits = "".join(str(int(char, 36)) for char in code[4:] + code[:4])
    return int(digits) % 97 == 1


def bsn_is_valid(number: str) -> bool:
    """The elfproef for a BSN of 9 digits (or 8, with the leading 0 left off)."""
    digits = re.sub(r"[ .]", "", number)
    if not digits.isdigit() or len(digits) not in (8, 9):
        return False
    digits = digits.zfill(9)
    total = sum(int(d) * weight for d, weight in zip(digits[:8], range(9, 1, -1), strict=True))
    return int(digits) != 0 and (total - int(digits[8])) % 11 == 0


def _emails(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _EMAIL.finditer(text)]


def _ibans(text: str) -> list[tuple[int, int]]:
    """IBAN candidates; trailing space-separated groups are dropped until the checksum fits."""
    spans: list[tuple[int, int]] = []
    for match in _IBAN.finditer(text):
        candidate = match.group()
        while len(candidate.replace(" ", "")) >= 15:
            if iban_is_valid(candidate):
                spans.append((match.start(), match.start() + len(candidate)))
                break
            if " " not in candidate:
                break
            candidate = candidate.rsplit(" ", 1)[0]
    return spans


def _phones(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _PHONE.finditer(text)]


def _bsns(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for match in _BSN.finditer(text):
        if not bsn_is_valid(match.group()):
            continue
        before = _line_before(text, match.start(), _LABEL_WINDOW)
        if "€" in before[-8:] or "eur" in before[-8:].lower():
            continue
        label = _nearest_label(before)
        digits = sum(char.isdigit() for char in match.group())
        if label == "bsn" or (label is None and digits == 9):
            spans.append(match.span())
    return spans


def _birth_dates(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for label in _BIRTH_LABEL.finditer(text):
        window = text[label.end() : label.end() + _LABEL_WINDOW].split("\n", 1)[0]
        date = _DATE.search(window)
        if date is not None:
            spans.append((label.end() + date.start(), label.end() + date.end()))
    return spans


def _names(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for label in _NAME_LABEL.finditer(text):
        name = _NAME.match(text, label.end())
        if name is None:
            continue
        value = name.group().rstrip(" .")
        if text[name.end() :].lstrip(" \t").startswith(":") and " " in value:
            value = value.rsplit(" ", 1)[0]  # the last word is the next label ("... Functie:")
        spans.append((name.start(), name.start() + len(value)))
    return spans


def _nearest_label(before: str) -> str | None:
    """ "bsn" or "other" for the label closest before a number (on its line), None without one."""
    ends = [
        (match.end(), kind)
        for kind, pattern in (("bsn", _BSN_CONTEXT), ("other", _OTHER_NUMBER))
        for match in pattern.finditer(before)
    ]
    return max(ends)[1] if ends else None


def _line_before(text: str, position: int, width: int) -> str:
    return text[max(0, position - width) : position].rsplit("\n", 1)[-1]


_FINDERS = (
    ("email", _emails),
    ("iban", _ibans),
    ("phone", _phones),
    ("bsn", _bsns),
    ("birth_date", _birth_dates),
    ("name", _names),
)

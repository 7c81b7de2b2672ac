"""Short names and titles for legislation parsed by the EUR-Lex and Formex loaders.

Detection is deliberately simple:

* "AVG" when the text mentions the GDPR in any usual way: CELEX ``32016R0679``,
  "2016/679", "algemene verordening gegevensbescherming" or "GDPR";
* otherwise the first "Verordening (EU) 2019/1150"-style reference (also "Richtlijn",
  "(EG)"/"(EEG)" and the older "nr. 45/2001" form), or one derived from a CELEX number
  such as ``32019R1150``;
* otherwise "" — the loaders then fall back to the document's own title.
"""

from __future__ import annotations

import re

#: The short name used for the GDPR throughout the assistant.
AVG = "AVG"
#: Formal reference of the GDPR.
AVG_REFERENCE = "Verordening (EU) 2016/679"

_AVG_PATTERNS = re.compile(
    r"32016R0679|\b2016/679\b|algemene\s+verordening\s+gegevensbescherming|\bGDPR\b", re.IGNORECASE
)
_ACT_REFERENCE = re.compile(
    r"\b(verordening|richtlijn)\s+\((EU|EG|EEG|Euratom)\)\s+(?:nr\.?\s*)?(\d{1,4}/\d{1,4})", re.IGNORECASE
)
_CELEX = re.compile(r"\b3(\d{4})([RL])(\d{4})\b")
_CELEX_KINDS = {"R": "Verordening", "L": "Richtlijn"}
#: A page holding more chapters than this is titled as the whole act.
_MAX_CHAPTERS_IN_TITLE = 3
_CHAPTER = re.compile(r"^(hoofdstuk|chapter|titel|title)\s+([IVXLCDM]+|\d+)$", re.IGNORECASE)


def detect_law_name(text: str) -> str:
    """Short law name for a text: "AVG", a "Verordening (EU) YYYY/N" reference, or ""."""
    if _AVG_PATTERNS.search(text):
        return AVG
    return regulation_reference(text)


def regulation_reference(text: str) -> str:
    """The first formal act reference in ``text`` ("Verordening (EU) 2019/1150"), or ""."""
    if _AVG_PATTERNS.search(text):
        return AVG_REFERENCE
    match = _ACT_REFERENCE.search(text)
    if match:
        kind, family, number = match.groups()
        family = family if family.lower() == "euratom" else family.upper()
        return f"{kind.capitalize()} ({family}) {number}"
    celex = _CELEX.search(text)
    if celex and int(celex.group(1)) >= 2015:  # from 2015 on EU acts are numbered YYYY/N
        year, kind, number = celex.groups()
        return f"{_CELEX_KINDS[kind]} (EU) {year}/{int(number)}"
    return ""


def chapter_label(heading: str) -> str:
    """ "HOOFDSTUK III" -> "Hoofdstuk III"; "" when the heading is not a chapter heading."""
    match = _CHAPTER.match(" ".join(heading.split()))
    return f"{match.group(1).capitalize()} {match.group(2).upper()}" if match else ""


def law_text_title(
    law: str, reference: str, chapters: list[str], has_recitals: bool, first_article: str = ""
) -> str:
    """Readable Dutch title for parsed law text.

    ``chapters`` are the distinct chapters ("Hoofdstuk III Rechten van de betrokkene", "" when
    unknown) of the parsed articles, in order; ``first_article`` is the number of the first one.

    * one chapter, no recitals: a chapter page, "AVG — Hoofdstuk III: Rechten van de betrokkene";
    * two or three chapters not starting at article 1, no recitals: the chapters joined by "; ";
    * only recitals: "AVG — Overwegingen";
    * anything else is the whole act: "AVG (Verordening (EU) 2016/679)".
    """
    name = law or reference
    known = bool(chapters) and all(chapters) and not has_recitals
    if known and (len(chapters) == 1 or (len(chapters) <= _MAX_CHAPTERS_IN_TITLE and first_article != "1")):
        return f"{name} — {'; '.join(_chapter_heading(c) for c in chapters)}".strip(" —")
    if has_recitals and not chapters:
        return f"{name} — Overwegingen".strip(" —")
    if reference and reference != name:
        return f"{name} ({reference})" if name else reference
    return name


def _chapter_heading(chapter: str) -> str:
    """ "Hoofdstuk III Rechten van de betrokkene" -> "Hoofdstuk III: Rechten van de betrokkene"."""
    match = re.match(r"^(\S+\s+[IVXLCDM\d]+)\s+(.+)$", chapter)
    return f"{match.group(1)}: {match.group(2)}" if match else chapter

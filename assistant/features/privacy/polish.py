"""Let a language model reword a draft's sections, but never change its facts.

Each section goes to the model on its own (short context suits small local models; a failure
costs one section). The answer is accepted only when a fact check passes:

* every fact the section states (:attr:`Section.facts`: names, retention periods, recipients,
  countries, legal bases, contact details, article citations) is still there, literally or
  with the same words and numbers in another order;
* nothing new appears that looks like a fact: numbers or periods, countries, e-mail addresses
  or websites, or capitalised names that neither the template text nor the facts contain.

Otherwise the template text stays and the section carries a Dutch notice saying why. Model
output is untrusted: markup is stripped first, and the section text is sent between markers.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from assistant.features.privacy.countries import countries_in
from assistant.features.privacy.statement import Draft, Section
from assistant.llm.citation_check import strip_markup, tidy
from knowledge.text_analysis import analyze, fold
from prompts import load_prompt

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

logger = logging.getLogger(__name__)

NOTICE_UNREACHABLE = (
    "Het taalmodel is niet bereikbaar of reageerde niet op tijd; de tekst uit het sjabloon is behouden."
)
NOTICE_REJECTED = (
    "De herschreven tekst van het taalmodel is niet gebruikt ({reasons}); "
    "de tekst uit het sjabloon is behouden."
)

_NUMBER = re.compile(r"\d+")
_NUMBER_WORD_PERIOD = re.compile(
    r"\b(een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig|dertig|honderd)"
    r"\s+(dag|dagen|week|weken|maand|maanden|jaar|jaren)\b",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)[\w.-]+|\b[\w-]+\.(?:nl|com|eu|org|net|be|de)\b"
)
_WORD = re.compile(r"[A-Za-zÀ-ÿ][\w'&-]*")
_LEAD_CHARS = " \t*_-–•\"'„“”(["
#: Capitalised words a rewrite may use without them being "new names".
_COMMON_CAPITALS = frozenset(
    {
        *(
            "u",
            "uw",
            "wij",
            "we",
            "ons",
            "onze",
            "de",
            "het",
            "een",
            "als",
            "dan",
            "dat",
            "deze",
            "die",
            "dit",
        ),
        *("avg", "eer", "eu", "fg", "ap", "art", "artikel", "lid", "sub", "europese", "europa", "unie"),
        *("nederland", "nederlandse", "privacy", "let", "op", "ook", "bij", "voor", "met", "in", "zo"),
    }
)


@dataclass
class FactCheck:
    """What a rewrite lost and what it added, compared with the section it rewrote."""

    missing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no fact was lost and none was added."""
        return not self.missing and not self.added

    def reasons(self) -> str:
        """Dutch summary: "ontbreekt: '2 jaar …'; nieuw: 'Canada'"."""
        parts = []
        if self.missing:
            parts.append("ontbreekt: " + ", ".join(f"'{m}'" for m in self.missing))
        if self.added:
            parts.append("nieuw: " + ", ".join(f"'{a}'" for a in self.added))
        return "; ".join(parts)


def check_facts(section: Section, rewritten: str) -> FactCheck:
    """Compare a rewrite of ``section`` with the section's facts and text."""
    check = FactCheck()
    for fact in section.facts:
        if not fact_present(fact, rewritten):
            check.missing.append(fact)
    reference = "\n".join([section.text, section.title, *section.facts])
    check.added = new_facts(reference, rewritten)
    return check


def fact_present(fact: str, text: str) -> bool:
    """True when ``fact`` is in ``text``: literally, or all its words and numbers in another order."""
    if _normal(fact) in _normal(text):
        return True
    numbers = set(_NUMBER.findall(fact))
    stems = set(analyze(fact))
    if not numbers and not stems:
        return False
    return numbers <= set(_NUMBER.findall(text)) and stems <= set(analyze(text))


def new_facts(reference: str, text: str) -> list[str]:
    """Fact-like things in ``text`` that ``reference`` does not have (numbers, periods, countries, names)."""
    added: list[str] = []
    known_numbers = set(_NUMBER.findall(reference))
    added += sorted({n for n in _NUMBER.findall(text) if n not in known_numbers}, key=text.find)
    folded_reference = _normal(reference)
    for match in _NUMBER_WORD_PERIOD.finditer(text):
        if _normal(match.group(0)) not in folded_reference:
            added.append(match.group(0))
    added += [c.title() for c in sorted(countries_in(text) - countries_in(reference))]
    for match in _CONTACT.finditer(text):
        if _normal(match.group(0)).rstrip(".") not in folded_reference:
            added.append(match.group(0))
    known_words = {fold(w) for w in _WORD.findall(reference)} | _COMMON_CAPITALS
    for match in _WORD.finditer(text):
        word = match.group(0)
        if not word[0].isupper() or fold(word) in known_words:
            continue
        lead = text[: match.start()].rstrip(_LEAD_CHARS)
        if not lead or lead[-1] in ".!?:\n":
            continue  # the first word of a sentence or line may be capitalised
        if word not in added:
            added.append(word)
    return _unique(added)


def polish_draft(draft: Draft, model: BaseChatModel, keys: Iterable[str] | None = None) -> Draft:
    """A copy of ``draft`` with its sections (or only ``keys``) reworded where the fact check allows."""
    wanted = set(keys) if keys is not None else None
    sections: list[Section] = []
    notices = list(draft.notices)
    reachable = True
    for section in draft.sections:
        if (wanted is not None and section.key not in wanted) or not reachable:
            sections.append(section)
            continue
        polished, reachable = polish_section(section, model)
        sections.append(polished)
        if polished.notice:
            notices.append(f"{section.title}: {polished.notice}")
    return replace(draft, sections=sections, notices=notices)


def polish_section(section: Section, model: BaseChatModel) -> tuple[Section, bool]:
    """(the section, reworded when the check passes, else with a notice; whether the model answered)."""
    from langchain_core.messages import HumanMessage, SystemMessage

    messages = [
        SystemMessage(load_prompt("privacy_polish_system")),
        HumanMessage(load_prompt("privacy_polish_user").format(titel=section.title, tekst=section.text)),
    ]
    try:
        reply = str(model.invoke(messages).text)
    except Exception as exc:  # noqa: BLE001 - every client error means: keep the template text
        logger.warning("Taalmodel gaf een fout bij het herschrijven: %s: %s", type(exc).__name__, exc)
        return replace(section, notice=NOTICE_UNREACHABLE), False
    rewritten = clean_reply(reply, section.title)
    if not rewritten:
        return replace(section, notice=NOTICE_REJECTED.format(reasons="het antwoord was leeg")), True
    check = check_facts(section, rewritten)
    if not check.ok:
        return replace(section, notice=NOTICE_REJECTED.format(reasons=check.reasons())), True
    return replace(section, text=rewritten, polished=True, notice=""), True


def clean_reply(reply: str, title: str) -> str:
    """Model output as plain section text: markup and markers removed, a repeated title dropped."""
    text = tidy(strip_markup(reply)).replace("<<<TEKST>>>", "").replace("<<<EINDE TEKST>>>", "").strip()
    lines = text.split("\n")
    if lines and _normal(lines[0].strip("#* ")) == _normal(title):
        lines = lines[1:]
    return "\n".join(lines).strip()


def _normal(text: str) -> str:
    return " ".join(fold(text).replace("*", "").split())


def _unique(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if fold(item) not in (fold(s) for s in seen):
            seen.append(item)
    return seen

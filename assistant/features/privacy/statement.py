"""Draft a privacyverklaring from a register: one section per element of art. 13 (and 14) AVG.

Every section is filled from a Dutch template (:mod:`.templates`) with register facts only, and
cites the article it fulfils ("(art. 13 lid 2 sub a AVG)"); art. 14 is cited as well when an
activity's data is not obtained from the data subject. A fact the register lacks becomes a
visible placeholder ``[AANVULLEN: …]``, never an invention; the completeness check reports it.

Each section lists its ``facts``: the exact register values it states (names, retention periods,
recipients, countries, legal bases, contact details). :mod:`.polish` uses them to verify that a
reworded section still says the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.features.privacy.countries import country_phrase, in_eea
from assistant.features.privacy.facts import facts_hash, register_facts
from assistant.features.privacy.model import (
    ART9_EXCEPTIONS,
    NO,
    YES,
    Activity,
    Register,
    answer,
    art9_citation,
    basis_citation,
    basis_label,
    invalid_safeguard,
)
from assistant.features.privacy.other_sources import OtherSource
from assistant.features.privacy.templates import load_template

PLACEHOLDER = "[AANVULLEN: {}]"
PLACEHOLDER_MARK = "[AANVULLEN"
#: A gap in any text (also one a consultant typed or an upload holds), e.g. "[AANVULLEN: bewaartermijn]".
PLACEHOLDER_PATTERN = re.compile(r"\[\s*AANVULLEN\b[^\]]*\]", re.IGNORECASE)

#: Section key → (art. 13 citation, art. 14 citation); "" where the element does not apply.
ARTICLES: dict[str, tuple[str, str]] = {
    "identiteit": ("art. 13 lid 1 sub a AVG", "art. 14 lid 1 sub a AVG"),
    "fg": ("art. 13 lid 1 sub b AVG", "art. 14 lid 1 sub b AVG"),
    "doelen": ("art. 13 lid 1 sub c AVG", "art. 14 lid 1 sub c AVG"),
    "gerechtvaardigd_belang": ("art. 13 lid 1 sub d AVG", "art. 14 lid 2 sub b AVG"),
    "categorieen": ("", "art. 14 lid 1 sub d AVG"),
    "ontvangers": ("art. 13 lid 1 sub e AVG", "art. 14 lid 1 sub e AVG"),
    "doorgifte": ("art. 13 lid 1 sub f AVG", "art. 14 lid 1 sub f AVG"),
    "bewaartermijnen": ("art. 13 lid 2 sub a AVG", "art. 14 lid 2 sub a AVG"),
    "rechten": ("art. 13 lid 2 sub b AVG", "art. 14 lid 2 sub c AVG"),
    "toestemming_intrekken": ("art. 13 lid 2 sub c AVG", "art. 14 lid 2 sub d AVG"),
    "klacht": ("art. 13 lid 2 sub d AVG", "art. 14 lid 2 sub e AVG"),
    "verplichting": ("art. 13 lid 2 sub e AVG", ""),
    "bron": ("", "art. 14 lid 2 sub f AVG"),
    "geautomatiseerde_besluiten": ("art. 13 lid 2 sub f AVG", "art. 14 lid 2 sub g AVG"),
    "beveiliging": ("art. 32 AVG", "art. 32 AVG"),
}
SECTION_ORDER: tuple[str, ...] = tuple(ARTICLES)
GENERAL_RIGHTS: tuple[str, ...] = ("inzage", "rectificatie", "wissing", "beperking")
RIGHTS: tuple[str, ...] = (*GENERAL_RIGHTS, "overdraagbaarheid", "bezwaar")


@dataclass
class Section:
    """One section of the privacyverklaring."""

    key: str
    title: str
    article: str
    text: str
    facts: list[str] = field(default_factory=list)
    notice: str = ""
    polished: bool = False

    @property
    def has_placeholder(self) -> bool:
        """True when the section still has an ``[AANVULLEN: …]`` gap."""
        return PLACEHOLDER_MARK in self.text

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Section:
        """Read the stored form."""
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass
class Draft:
    """A generated privacyverklaring with the register facts and documents it was built from."""

    client: str
    organisation: str
    title: str
    intro: str
    sections: list[Section]
    facts: list[str]
    facts_hash: str
    sources: dict[str, dict[str, str]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    def section(self, key: str) -> Section | None:
        """The section with ``key``, or None."""
        return next((s for s in self.sections if s.key == key), None)

    def to_dict(self) -> dict[str, Any]:
        """The stored (JSON) form."""
        return asdict(self)

    def open_gaps(self) -> list[tuple[str, int]]:
        """(where, how many) for every part that still holds ``[AANVULLEN: …]`` gaps."""
        parts = [("titel", self.title), ("inleiding", self.intro)]
        parts += [(s.title, s.text) for s in self.sections]
        counted = [(where, len(PLACEHOLDER_PATTERN.findall(text))) for where, text in parts]
        return [(where, n) for where, n in counted if n]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        """Read the stored form."""
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        fields["sections"] = [Section.from_dict(s) for s in data.get("sections", [])]
        return cls(**fields)

    def markdown(self) -> str:
        """The whole statement as Markdown (title, intro, one ``##`` heading per section)."""
        parts = [f"# {self.title}", self.intro]
        for section in self.sections:
            parts += [f"## {section.title}", section.text]
        return "\n\n".join(parts) + "\n"


def build_draft(
    register: Register,
    current_hashes: dict[str, str] | None = None,
    other_sources: list[OtherSource] | None = None,
) -> Draft:
    """The draft privacyverklaring for ``register``.

    ``current_hashes`` (doc_id → content hash of the client's documents now) records which
    version of each cited document the draft rests on; without it the hashes recorded with
    the register's evidence are used. ``other_sources`` are passages of the client's documents
    showing data from a third party for activities without a ``bron``
    (:func:`.other_sources.find_other_sources`): the art. 14 sections then show a gap for them.
    """
    register = register.own_processing()  # processing for another controller is that controller's to explain
    unsourced = [o for o in other_sources or [] if not _has_source(register, o.activity)]
    art13 = any(not a.from_other_source for a in register.activities) or not register.activities
    art14 = any(a.from_other_source for a in register.activities) or bool(unsourced)
    organisation = register.controller.name or PLACEHOLDER.format("naam van de organisatie")
    intro_template = load_template("privacy_statement_intro")
    context = _Context(register, organisation, art13, art14, unsourced)
    sections = [s for s in (builder(context) for builder in _BUILDERS) if s is not None]
    lines = register_facts(register)
    notices = []
    gaps = [s.title for s in sections if s.has_placeholder]
    if gaps:
        notices.append(
            "Het register is nog niet volledig; vul de gemarkeerde plekken [AANVULLEN: …] aan in: "
            + ", ".join(gaps)
            + "."
        )
    return Draft(
        client=register.client,
        organisation=organisation,
        title=intro_template.heading(organisatie=organisation),
        intro=intro_template.fill("tekst", organisatie=organisation),
        sections=sections,
        facts=lines,
        facts_hash=facts_hash(lines),
        sources=cited_sources(register, current_hashes),
        notices=notices,
    )


def cited_sources(register: Register, current_hashes: dict[str, str] | None) -> dict[str, dict[str, str]]:
    """doc_id → {document, hash} of every client document the register's evidence cites."""
    sources: dict[str, dict[str, str]] = {}
    for activity in register.activities:
        for ref in activity.sources:
            if not ref.doc_id:
                continue
            known = (current_hashes or {}).get(ref.doc_id, ref.content_hash)
            sources[ref.doc_id] = {"document": ref.document, "hash": known}
    return sources


@dataclass
class _Context:
    register: Register
    organisation: str
    art13: bool
    art14: bool
    unsourced: list[OtherSource] = field(default_factory=list)

    def article(self, key: str) -> str:
        a13, a14 = ARTICLES[key]
        chosen = [a for a, on in ((a13, self.art13), (a14, self.art14)) if a and on]
        if not chosen:
            chosen = [a13 or a14]
        if len(chosen) == 2 and chosen[0] == chosen[1]:
            chosen = chosen[:1]
        return " en ".join(chosen)

    @property
    def activities(self) -> list[Activity]:
        return self.register.activities


def _section(key: str, ctx: _Context, text: str, facts: list[str]) -> Section:
    template = load_template(f"privacy_section_{key}")
    article = ctx.article(key)
    return Section(key, template.title, article, text, _unique([*facts, article]))


def _identity(ctx: _Context) -> Section:
    template = load_template("privacy_section_identiteit")
    c = ctx.register.controller
    rows = [("Adres", c.address), ("E-mail", c.email), ("Telefoon", c.phone), ("Website", c.website)]
    rows.append(("KvK-nummer", c.kvk))
    lines = [template.fill("regel", label=label, waarde=value) for label, value in rows if value]
    if not (c.email or c.phone):  # an address alone is no way to ask a question about privacy
        lines.append(template.fill("ontbreekt"))
    text = template.fill(
        "tekst", organisatie=ctx.organisation, artikel=ctx.article("identiteit"), regels="\n".join(lines)
    )
    return _section("identiteit", ctx, text, [c.name, *(v for _, v in rows if v)])


def _fg(ctx: _Context) -> Section:
    template = load_template("privacy_section_fg")
    c = ctx.register.controller
    article = ctx.article("fg")
    if not c.has_fg:
        required = fg_required(ctx.register)
        if required:
            gap = PLACEHOLDER.format(
                f"contactgegevens van de FG — volgens het register is een FG verplicht ({required})"
            )
        elif answer(c.fg_assessment) == NO:
            return _section("fg", ctx, template.fill("geen", artikel=article), [])
        elif c.fg_assessment:
            gap = PLACEHOLDER.format("contactgegevens van de FG (het register zegt dat er een FG nodig is)")
        else:
            gap = PLACEHOLDER.format(
                "is er een functionaris voor gegevensbescherming? Vul de FG in of leg de FG-beoordeling vast"
            )
        return _section("fg", ctx, template.fill("onbekend", plek=gap, artikel=article), [])
    rows = [("Naam", c.fg_name), ("E-mail", c.fg_email), ("Telefoon", c.fg_phone)]
    lines = [template.fill("regel", label=label, waarde=value) for label, value in rows if value]
    if not (c.fg_email or c.fg_phone):  # the article asks for contact details, a name is none
        gap = PLACEHOLDER.format("e-mailadres of telefoonnummer van de FG")
        lines.append(template.fill("regel", label="Contact", waarde=gap))
    text = template.fill("tekst", artikel=article, regels="\n".join(lines))
    return _section("fg", ctx, text, [v for _, v in rows if v])


def fg_required(register: Register) -> str:
    """The article that makes an FG mandatory by the register's own facts, or "" (art. 37 lid 1 AVG)."""
    if any(a.special_categories and answer(a.large_scale) == YES for a in register.activities):
        return "art. 37 lid 1 sub c AVG"
    return ""


def _purposes(ctx: _Context) -> Section:
    template = load_template("privacy_section_doelen")
    lines: list[str] = []
    facts: list[str] = []
    for activity in ctx.activities:
        basis = activity.legal_basis
        line = template.fill(
            "regel",
            naam=activity.name,
            doel=_sentence(activity.purpose) or PLACEHOLDER.format("doel van deze verwerking"),
            betrokkenen=join_dutch(activity.data_subjects) or PLACEHOLDER.format("categorieën betrokkenen"),
            gegevens=join_dutch(activity.data_categories)
            or PLACEHOLDER.format("categorieën persoonsgegevens"),
            grondslag=basis_label(basis) or PLACEHOLDER.format("grondslag"),
            grondslag_artikel=basis_citation(basis) or "art. 6 lid 1 AVG",
        )
        if activity.special_categories:
            exception = activity.art9_exception
            line += " " + template.fill(
                "bijzonder",
                bijzonder=join_dutch(activity.special_categories),
                uitzondering=ART9_EXCEPTIONS.get(
                    exception, PLACEHOLDER.format("uitzondering van art. 9 lid 2")
                ),
                uitzondering_artikel=art9_citation(exception) or "art. 9 lid 2 AVG",
            )
            facts += [*activity.special_categories, art9_citation(exception)]
        lines.append(line)
        facts += [activity.name, basis_label(basis), basis_citation(basis), *activity.data_categories]
    if not lines:
        lines.append("- " + PLACEHOLDER.format("verwerkingen uit het verwerkingsregister"))
    text = template.fill("tekst", artikel=ctx.article("doelen"), regels="\n".join(lines))
    return _section("doelen", ctx, text, facts)


def _interests(ctx: _Context) -> Section | None:
    chosen = [a for a in ctx.activities if a.legal_basis == "f"]
    if not chosen:
        return None
    template = load_template("privacy_section_gerechtvaardigd_belang")
    lines = [
        template.fill(
            "regel",
            naam=a.name,
            belang=_sentence(a.legitimate_interest) or PLACEHOLDER.format("welk belang wij hebben"),
            afweging=template.fill("afgewogen")
            if answer(a.balancing_test) == YES
            else PLACEHOLDER.format(f"belangenafweging voor {a.name} (niet vastgelegd in het register)"),
        )
        for a in chosen
    ]
    text = template.fill("tekst", artikel=ctx.article("gerechtvaardigd_belang"), regels="\n".join(lines))
    return _section("gerechtvaardigd_belang", ctx, text, [a.name for a in chosen])


def _has_source(register: Register, activity: str) -> bool:
    known = register.activity(activity) if activity else None
    return known is not None and known.from_other_source


def _unsourced_name(found: OtherSource) -> str:
    return found.activity or PLACEHOLDER.format("bij welke verwerking?")


def _categories(ctx: _Context) -> Section | None:
    chosen = [a for a in ctx.activities if a.from_other_source]
    if not chosen and not ctx.unsourced:
        return None
    template = load_template("privacy_section_categorieen")
    lines = [
        template.fill(
            "regel",
            naam=a.name,
            gegevens=join_dutch(a.data_categories) or PLACEHOLDER.format("categorieën persoonsgegevens"),
        )
        for a in chosen
    ]
    lines += [
        template.fill(
            "regel",
            naam=_unsourced_name(o),
            gegevens=PLACEHOLDER.format(f"welke gegevens krijgen wij van {o.party}? (zie {o.where})"),
        )
        for o in ctx.unsourced
    ]
    text = template.fill("tekst", artikel=ctx.article("categorieen"), regels="\n".join(lines))
    facts = [a.name for a in chosen] + [c for a in chosen for c in a.data_categories]
    return _section("categorieen", ctx, text, facts)


def _recipients(ctx: _Context) -> Section:
    template = load_template("privacy_section_ontvangers")
    article = ctx.article("ontvangers")
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for activity in ctx.activities:
        for recipient in activity.recipients:
            key = (recipient.name, recipient.kind, recipient.country)
            grouped.setdefault(key, [])
            if activity.name not in grouped[key]:
                grouped[key].append(activity.name)
    if not grouped:
        gap = PLACEHOLDER.format(
            "met wie delen wij gegevens? Het register noemt geen ontvangers of verwerkers"
        )
        return _section("ontvangers", ctx, template.fill("onbekend", plek=gap, artikel=article), [])
    lines = []
    facts: list[str] = []
    for (name, kind, country), activities in grouped.items():
        lines.append(
            template.fill(
                "regel",
                naam=name,
                soort=kind,
                land=f", {country}" if country else "",
                verwerkingen=join_dutch([a.lower() for a in activities]),
            )
        )
        facts += [name, country]
    text = template.fill("tekst", artikel=article, regels="\n".join(lines))
    return _section("ontvangers", ctx, text, [f for f in facts if f])


def _valid_safeguard(safeguard: str) -> str:
    """The register's safeguard for the statement; a placeholder when it is missing or struck down (the
    statement would otherwise tell the public a transfer rests on the Privacy Shield)."""
    if struck_down := invalid_safeguard(safeguard):
        return PLACEHOLDER.format(f"geldige waarborg voor de doorgifte (het register noemt {struck_down})")
    return safeguard.rstrip(".") or PLACEHOLDER.format("waarborg voor de doorgifte (art. 46 AVG)")


def _transfers(ctx: _Context) -> Section:
    template = load_template("privacy_section_doorgifte")
    article = ctx.article("doorgifte")
    seen: list[tuple[str, str, str]] = []
    for activity in ctx.activities:
        for transfer in activity.transfers:
            key = (transfer.recipient, transfer.country, transfer.safeguard)
            if key not in seen:
                seen.append(key)
        for recipient in activity.recipients:
            if not in_eea(recipient.country) and not any(
                t.country.lower() == recipient.country.lower() for t in activity.transfers
            ):
                key = (recipient.name, recipient.country, "")
                if key not in seen:
                    seen.append(key)
    unknown = [a.name for a in ctx.activities if not a.has_transfers]
    gap = PLACEHOLDER.format(
        "gaan gegevens naar landen buiten de EER? Niet vastgelegd voor: "
        + (join_dutch(unknown) or "alle verwerkingen")
    )
    if not seen:
        if unknown or not ctx.activities:
            return _section("doorgifte", ctx, template.fill("onbekend", plek=gap, artikel=article), [])
        return _section("doorgifte", ctx, template.fill("geen", artikel=article), [])
    lines = [
        template.fill(
            "regel",
            ontvanger=recipient or PLACEHOLDER.format("ontvanger"),
            land=country_phrase(country),
            waarborg=_valid_safeguard(safeguard),
        )
        for recipient, country, safeguard in seen
    ]
    if unknown:
        lines.append("- " + gap)
    text = template.fill("tekst", artikel=article, regels="\n".join(lines))
    facts = [f for key in seen for f in key if f]
    return _section("doorgifte", ctx, text, facts)


def _retention(ctx: _Context) -> Section:
    template = load_template("privacy_section_bewaartermijnen")
    lines = [
        template.fill(
            "regel",
            naam=a.name,
            termijn=a.retention.rstrip(".") or PLACEHOLDER.format(f"bewaartermijn voor {a.name}"),
        )
        for a in ctx.activities
    ]
    if not lines:
        lines.append("- " + PLACEHOLDER.format("bewaartermijnen"))
    text = template.fill("tekst", artikel=ctx.article("bewaartermijnen"), regels="\n".join(lines))
    facts = [f for a in ctx.activities for f in (a.name, a.retention.rstrip(".")) if f]
    return _section("bewaartermijnen", ctx, text, facts)


def _rights(ctx: _Context) -> Section:
    template = load_template("privacy_section_rechten")
    c = ctx.register.controller
    contact = c.email or c.phone or c.address or PLACEHOLDER.format("contactgegevens")
    by_right = rights_per_activity(ctx.activities)
    lines = [template.fill("algemeen")]
    facts = list(GENERAL_RIGHTS)
    for right, part in (("overdraagbaarheid", "overdraagbaarheid"), ("bezwaar", "bezwaar")):
        if by_right[right]:
            lines.append(template.fill(part, verwerkingen=join_dutch([n.lower() for n in by_right[right]])))
            facts.append(right)
    if by_right["intrekken"]:
        lines.append(
            template.fill("intrekken", verwerkingen=join_dutch([n.lower() for n in by_right["intrekken"]]))
        )
    no_basis = [a.name for a in ctx.activities if not a.legal_basis]
    if no_basis or not ctx.activities:
        gap = PLACEHOLDER.format(
            "welke rechten nog meer gelden hangt af van de grondslag; die ontbreekt voor: "
            + (join_dutch(no_basis) or "alle verwerkingen")
        )
        lines.append(template.fill("onbekend", plek=gap))
    text = template.fill("tekst", artikel=ctx.article("rechten"), contact=contact, regels="\n".join(lines))
    return _section("rechten", ctx, text, [*facts, contact])


def rights_per_activity(activities: list[Activity]) -> dict[str, list[str]]:
    """Activity names per right that depends on the legal basis.

    Portability (art. 20 AVG) only for consent and contract (a, b); objection (art. 21 AVG) only for
    public task and legitimate interest (e, f); withdrawal (art. 7 lid 3 AVG) for consent (also the
    explicit consent of art. 9 lid 2 sub a).
    """
    return {
        "overdraagbaarheid": [a.name for a in activities if a.legal_basis in ("a", "b")],
        "bezwaar": [a.name for a in activities if a.legal_basis in ("e", "f")],
        "intrekken": [a.name for a in activities if a.legal_basis == "a" or a.art9_exception == "a"],
    }


def _consent(ctx: _Context) -> Section | None:
    chosen = [a for a in ctx.activities if a.legal_basis == "a" or a.art9_exception == "a"]
    if not chosen:
        return None
    template = load_template("privacy_section_toestemming_intrekken")
    names = [a.name for a in chosen]
    text = template.fill(
        "tekst",
        artikel=ctx.article("toestemming_intrekken"),
        verwerkingen=join_dutch([n.lower() for n in names]),
    )
    return _section("toestemming_intrekken", ctx, text, names)


def _complaint(ctx: _Context) -> Section:
    template = load_template("privacy_section_klacht")
    text = template.fill("tekst", artikel=ctx.article("klacht"))
    return _section("klacht", ctx, text, ["Autoriteit Persoonsgegevens"])


def _requirement(ctx: _Context) -> Section | None:
    if not ctx.art13:
        return None
    template = load_template("privacy_section_verplichting")
    chosen = [a for a in ctx.activities if not a.from_other_source]
    lines = [
        template.fill(
            "regel",
            naam=a.name,
            verplichting=_sentence(a.requirement)
            or PLACEHOLDER.format("of u de gegevens moet geven en wat er gebeurt als u dat niet doet"),
        )
        for a in chosen
    ]
    text = template.fill("tekst", artikel=ctx.article("verplichting"), regels="\n".join(lines))
    return _section("verplichting", ctx, text, [a.name for a in chosen])


def _source(ctx: _Context) -> Section | None:
    chosen = [a for a in ctx.activities if a.from_other_source]
    if not chosen and not ctx.unsourced:
        return None
    template = load_template("privacy_section_bron")
    lines = [template.fill("regel", naam=a.name, bron=_sentence(a.source)) for a in chosen]
    lines += [
        template.fill(
            "regel",
            naam=_unsourced_name(o),
            bron=PLACEHOLDER.format(
                f"bron van de gegevens — volgens {o.where} komen ze (ook) van {o.party}; "
                "leg de bron vast in het register"
            ),
        )
        for o in ctx.unsourced
    ]
    text = template.fill("tekst", artikel=ctx.article("bron"), regels="\n".join(lines))
    return _section("bron", ctx, text, [f for a in chosen for f in (a.name, a.source.rstrip("."))])


def _automated(ctx: _Context) -> Section:
    template = load_template("privacy_section_geautomatiseerde_besluiten")
    article = ctx.article("geautomatiseerde_besluiten")
    chosen = [a for a in ctx.activities if answer(a.automated_decisions) == YES]
    unknown = [a.name for a in ctx.activities if not a.automated_decisions]
    gap = PLACEHOLDER.format(
        "neemt een computer automatisch besluiten over mensen? Niet vastgelegd voor: "
        + (join_dutch(unknown) or "alle verwerkingen")
    )
    if not chosen:
        if unknown or not ctx.activities:
            return _section(
                "geautomatiseerde_besluiten", ctx, template.fill("onbekend", plek=gap, artikel=article), []
            )
        return _section("geautomatiseerde_besluiten", ctx, template.fill("geen", artikel=article), [])
    lines = [template.fill("regel", naam=a.name, besluit=_sentence(a.automated_decisions)) for a in chosen]
    if unknown:
        lines.append("- " + gap)
    text = template.fill("tekst", artikel=article, regels="\n".join(lines))
    return _section("geautomatiseerde_besluiten", ctx, text, [a.name for a in chosen])


def _security(ctx: _Context) -> Section | None:
    measures = _unique([m for a in ctx.activities for m in a.security_measures])
    if not measures:
        return None
    template = load_template("privacy_section_beveiliging")
    lines = [template.fill("regel", maatregel=_capital(m.rstrip("."))) for m in measures]
    text = template.fill("tekst", artikel=ctx.article("beveiliging"), regels="\n".join(lines))
    return _section("beveiliging", ctx, text, [])


_BUILDERS: tuple[Callable[[_Context], Section | None], ...] = (
    _identity,
    _fg,
    _purposes,
    _interests,
    _categories,
    _recipients,
    _transfers,
    _retention,
    _rights,
    _consent,
    _complaint,
    _requirement,
    _source,
    _automated,
    _security,
)


def join_dutch(items: list[str]) -> str:
    """ "a, b en c"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def _sentence(text: str) -> str:
    """``text`` as a sentence: capital first letter, closing full stop."""
    text = text.strip()
    if not text:
        return ""
    text = _capital(text)
    return text if text[-1] in ".!?" else text + "."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _unique(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen

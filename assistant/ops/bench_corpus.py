"""Generated Dutch process documents for the benchmark (deterministic, fictitious)."""

from __future__ import annotations

import random
from pathlib import Path

_ACTIVITIES = [
    "klantenservice",
    "orderverwerking",
    "nieuwsbrief",
    "werving en selectie",
    "salarisadministratie",
    "cameratoezicht",
    "debiteurenbeheer",
    "websiteanalyse",
    "leveranciersbeheer",
    "ziekteverzuim",
    "toegangscontrole",
    "klachtenafhandeling",
    "marketingcampagnes",
    "contractbeheer",
    "IT-beheer",
]
_DATA = [
    "naam en adres",
    "e-mailadres",
    "telefoonnummer",
    "bestelgeschiedenis",
    "betaalgegevens",
    "IP-adres",
    "geboortedatum",
    "cv en motivatiebrief",
    "camerabeelden",
    "verzuimmeldingen",
    "klantnummer",
]
_BASES = [
    "de uitvoering van de overeenkomst",
    "toestemming van de betrokkene",
    "een wettelijke verplichting",
    "ons gerechtvaardigd belang",
    "de vitale belangen van de betrokkene",
]
_RECIPIENTS = [
    "onze hostingpartij",
    "het incassobureau",
    "de salarisverwerker",
    "de pakketdienst",
    "het boekhoudkantoor",
    "de leverancier van het CRM-systeem",
]
_MEASURES = [
    "versleuteling van laptops",
    "tweefactorauthenticatie",
    "een autorisatiematrix",
    "periodieke back-ups",
    "logging van toegang",
    "een clean-desk-beleid",
]


def _section(rng: random.Random, number: int) -> str:
    activity = rng.choice(_ACTIVITIES)
    data = ", ".join(rng.sample(_DATA, 3))
    return (
        f"## {number}. Verwerking: {activity}\n\n"
        f"Voor de {activity} verwerken wij de volgende gegevens: {data}. "
        f"De grondslag is {rng.choice(_BASES)}. Wij delen deze gegevens met {rng.choice(_RECIPIENTS)}, "
        f"met wie een verwerkersovereenkomst is gesloten. De gegevens bewaren wij {rng.randint(1, 10)} jaar "
        f"na afloop van de relatie, daarna worden ze verwijderd. Als beveiligingsmaatregelen gelden "
        f"{rng.choice(_MEASURES)} en {rng.choice(_MEASURES)}. Medewerkers van de afdeling {activity} "
        f"hebben alleen toegang voor zover dat nodig is voor hun taak; wijzigingen in dit proces worden "
        f"vooraf besproken met de privacy officer en vastgelegd in het verwerkingsregister.\n"
    )


def write_process_documents(folder: Path, sections: int, per_document: int = 20, seed: int = 7) -> list[Path]:
    """Write Markdown process documents holding ``sections`` sections (≈ one chunk each)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for index in range(0, sections, per_document):
        count = min(per_document, sections - index)
        body = "\n".join(_section(rng, n + 1) for n in range(count))
        path = folder / f"procesbeschrijving-{index // per_document:05d}.md"
        path.write_text(f"# Procesbeschrijving {index // per_document + 1}\n\n{body}", encoding="utf-8")
        paths.append(path)
    return paths

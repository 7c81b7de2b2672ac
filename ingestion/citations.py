"""Dutch citation labels for law text: ``art. 33 lid 1 AVG``, ``art. 6 lid 1 sub f AVG``."""

from __future__ import annotations


def law_citation(law: str, article: str = "", paragraph: str = "", point: str = "", recital: str = "") -> str:
    """Build the citation label for a place in a law."""
    if recital:
        return f"overweging {recital} {law}".strip()
    parts = [f"art. {article}"]
    if paragraph:
        parts.append(f"lid {paragraph}")
    if point:
        parts.append(f"sub {point}" if point.isalpha() else f"punt {point}")
    parts.append(law)
    return " ".join(p for p in parts if p)


def document_citation(title: str, page: int = -1, heading: str = "") -> str:
    """Build the citation label for a passage of an ordinary document."""
    label = title
    section = heading.split(" > ")[-1] if heading else ""
    if section and section.casefold() != title.casefold():  # a title from the first heading: once
        label += f", {section}"
    if page > 0:
        label += f", p. {page}"
    return label

"""Section templates of the privacyverklaring: Dutch text files in ``prompts/``.

A template file ``prompts/privacy_section_<key>.txt`` holds the section title on its first
line, then named parts, each introduced by a line ``=== <name>``::

    Hoe lang bewaren wij uw gegevens?
    === tekst
    Wij bewaren uw gegevens niet langer dan nodig ({artikel}):

    {regels}
    === regel
    - **{naam}**: {termijn}.

Parts use ``str.format`` fields; the code decides which parts to use (``tekst`` with one
``regel`` per item, or ``geen`` when nothing applies). A knowledge manager can change the
wording without touching code, as long as the fields stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ingestion.errors import ConfigError
from prompts import load_prompt


@dataclass(frozen=True)
class SectionTemplate:
    """A parsed section template."""

    name: str
    title: str
    parts: dict[str, str]

    def fill(self, part: str, **fields: str) -> str:
        """The named part with ``fields`` filled in."""
        if part not in self.parts:
            raise ConfigError(f"Het sjabloon '{self.name}' mist het onderdeel '=== {part}'.")
        try:
            return self.parts[part].format(**fields)
        except (KeyError, IndexError, ValueError) as exc:
            raise ConfigError(
                f"Het sjabloon '{self.name}' (onderdeel '{part}') gebruikt een onbekend veld: {exc}."
            ) from exc

    def heading(self, **fields: str) -> str:
        """The title with ``fields`` filled in."""
        return self.title.format(**fields)


@lru_cache(maxsize=64)
def load_template(name: str) -> SectionTemplate:
    """The template ``prompts/<name>.txt``, parsed."""
    return parse_template(name, load_prompt(name))


def parse_template(name: str, text: str) -> SectionTemplate:
    """Parse template text: a title line, then ``=== <part>`` blocks."""
    lines = text.replace("\r\n", "\n").split("\n")
    title = ""
    parts: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        if line.startswith("=== "):
            current = parts.setdefault(line[4:].strip(), [])
        elif current is not None:
            current.append(line)
        elif line.strip() and not title:
            title = line.strip()
    if not title or "tekst" not in parts:
        raise ConfigError(f"Het sjabloon '{name}' heeft geen titel of geen onderdeel '=== tekst'.")
    return SectionTemplate(name, title, {k: "\n".join(v).strip("\n") for k, v in parts.items()})

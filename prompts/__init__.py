"""Prompt templates as Dutch text files in this package, loaded by name.

A template is plain text with ``str.format`` fields (``{question}``, ``{passages}``);
literal braces in a template are doubled. Keeping prompts as files lets a knowledge
manager read and adjust them without touching code.
"""

from __future__ import annotations

from importlib import resources

from ingestion.errors import ConfigError


def load_prompt(name: str) -> str:
    """The text of the template ``prompts/<name>.txt``."""
    resource = resources.files(__package__).joinpath(f"{name}.txt")
    try:
        return resource.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise ConfigError(
            f"Het promptsjabloon '{name}' ontbreekt (verwacht: prompts/{name}.txt). "
            "Installeer AVG-assistent opnieuw of herstel het bestand."
        ) from exc

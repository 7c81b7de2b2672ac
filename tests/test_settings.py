"""Settings: environment over TOML file over defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import Settings


def test_defaults() -> None:
    settings = Settings()
    assert settings.data_dir == Path("data")
    assert settings.embedder == "e5-torch"
    assert settings.chroma_url is None
    assert (settings.host, settings.port) == ("127.0.0.1", 7860)


def test_toml_file_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "avg-assistent.toml"
    config.write_text('data_dir = "/srv/avg"\nport = 8080\ntop_k = 3\n', encoding="utf-8")
    monkeypatch.setenv("AVG_CONFIG_FILE", str(config))
    settings = Settings()
    assert (settings.data_dir, settings.port, settings.top_k) == (Path("/srv/avg"), 8080, 3)
    monkeypatch.setenv("AVG_PORT", "9000")
    assert Settings().port == 9000


def test_invalid_value_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AVG_EMBEDDER", "onbekend")
    with pytest.raises(ValueError):
        Settings()

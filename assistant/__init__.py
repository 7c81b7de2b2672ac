"""Use cases, settings, composition root, CLI and web UI of AVG-assistent."""

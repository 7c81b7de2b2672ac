"""The benchmark's serve process: opens a knowledge base like ``avg-assistent serve`` and reports its memory.

``avg-assistent bench`` runs this as ``python -m assistant.interfaces.web.bench_serve DATA_DIR`` on the
knowledge base it built, so the memory it reports is that of a fresh serving process (knowledge base, embedder
and web UI loaded, the UI listening on 127.0.0.1 and answering), not of the process that built the
knowledge base. Prints one JSON line: ``{"rss_mb", "peak_rss_mb"}``.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
import urllib.request
from pathlib import Path

import uvicorn

from assistant.app import build_app, build_embedder
from assistant.interfaces.web.server import build_server
from assistant.ops.bench import QUESTIONS, HashEmbeddings, memory_mb
from assistant.settings import Settings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_started(server: uvicorn.Server, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("De webinterface startte niet op tijd.")
        time.sleep(0.05)


def main(argv: list[str]) -> int:
    """Serve the knowledge base in ``argv[0]``, answer the benchmark questions, print the memory use."""
    settings = Settings(data_dir=Path(argv[0]))
    models_dir = Path(argv[1]) if len(argv) > 1 else None
    app = build_app(settings, embedder=HashEmbeddings(build_embedder(settings, models_dir)))
    try:
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(build_server(app, "lokaal", "127.0.0.1", port), port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            _wait_until_started(server)
            url = f"http://127.0.0.1:{port}/"
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own 127.0.0.1
                response.read()
            for question in QUESTIONS * 3:
                app.answerer.answer(question, ["algemeen"])  # an LLM would only add a remote call
            memory = {"rss_mb": memory_mb("VmRSS"), "peak_rss_mb": memory_mb("VmHWM")}
        finally:
            server.should_exit = True
            thread.join(timeout=30)
    finally:
        app.close()
    print(json.dumps({key: round(value, 1) for key, value in memory.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

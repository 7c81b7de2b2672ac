"""Real HTTP servers on 127.0.0.1 that speak just enough Ollama or OpenAI-compatible API.

The fakes sit at the network boundary, so the real LangChain clients, httpx and the
real streaming parsers run in the tests. Each server is scripted per test
(:meth:`FakeLLMServer.script`) and records every request it gets.

* ``ollama``: ``GET /api/tags``; ``POST /api/chat`` streaming NDJSON (one JSON object per
  line, the last with ``"done": true``).
* ``openai``: ``GET /v1/models``; ``POST /v1/chat/completions`` with ``"stream": true`` as
  server-sent events (``data: {...}`` blocks, then ``data: [DONE]``).
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

Kind = Literal["ollama", "openai"]


@dataclass
class Script:
    """What the server answers to the next chat requests."""

    reply: str = ""
    status: int = 200
    hang_s: float = 0.0
    hang_after_pieces: int = 0
    models: list[str] = field(default_factory=lambda: ["fake-model:latest"])


@dataclass
class RecordedRequest:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None

    def prompt_text(self) -> str:
        """All message contents of a chat request, joined."""
        messages = (self.body or {}).get("messages") or []
        return "\n".join(str(m.get("content", "")) for m in messages)


def split_pieces(text: str) -> list[str]:
    """Token-like pieces: words with their trailing whitespace."""
    return re.findall(r"\S+\s*|\s+", text)


class FakeLLMServer:
    """A scripted Ollama or OpenAI-compatible server on an ephemeral port."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.requests: list[RecordedRequest] = []
        self._script = Script()
        self._released = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """What ``AVG_LLM_BASE_URL`` should be for this server."""
        root = f"http://127.0.0.1:{self.port}"
        return root if self.kind == "ollama" else f"{root}/v1"

    def script(self, reply: str = "", **options: Any) -> None:
        """Set the reply (and status, hang_s, hang_after_pieces, models) for the next requests."""
        self._script = Script(reply=reply, **options)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """The chat requests received so far."""
        return [r for r in self.requests if r.method == "POST"]

    def wait(self, seconds: float) -> None:
        """Sleep up to ``seconds``, or less when the server is closing."""
        self._released.wait(seconds)

    def __enter__(self) -> FakeLLMServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop serving and release hanging handlers."""
        self._released.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def _handler_for(server: FakeLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            pass

        def do_GET(self) -> None:
            self._record(None)
            script = server._script
            if self.path in ("/api/tags", "/v1/models"):
                if self.path == "/api/tags":
                    payload: dict[str, Any] = {
                        "models": [{"name": m, "model": m, "size": 1, "digest": "0"} for m in script.models]
                    }
                else:
                    payload = {
                        "object": "list",
                        "data": [
                            {"id": m, "object": "model", "created": 0, "owned_by": "nep"}
                            for m in script.models
                        ],
                    }
                self._send_json(200, payload)
            else:
                self._send_json(404, {"error": "niet gevonden"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            self._record(body)
            script = server._script
            if script.hang_s and not script.hang_after_pieces:
                server.wait(script.hang_s)
            if script.status != 200:
                self._send_json(script.status, {"error": {"message": "interne fout", "type": "server_error"}})
                return
            try:
                if self.path == "/api/chat" and server.kind == "ollama":
                    self._ollama_chat(body, script)
                elif self.path == "/v1/chat/completions" and server.kind == "openai":
                    self._openai_chat(body, script)
                else:
                    self._send_json(404, {"error": "niet gevonden"})
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout): nothing left to do

        def _record(self, body: dict[str, Any] | None) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            server.requests.append(RecordedRequest(self.command, self.path, headers, body))

        def _send_json(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _pieces(self, script: Script) -> list[str]:
            return split_pieces(script.reply)

        def _stream(self, content_type: str, blocks: list[bytes], script: Script) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.end_headers()
            for index, block in enumerate(blocks):
                if script.hang_after_pieces and index == script.hang_after_pieces:
                    server.wait(script.hang_s)
                self.wfile.write(block)
                self.wfile.flush()
                time.sleep(0.005)

        def _ollama_chat(self, body: dict[str, Any], script: Script) -> None:
            model = body.get("model", "")
            stamp = "2025-01-01T00:00:00Z"

            def line(content: str, done: bool) -> bytes:
                payload: dict[str, Any] = {
                    "model": model,
                    "created_at": stamp,
                    "message": {"role": "assistant", "content": content},
                    "done": done,
                }
                if done:
                    payload.update(done_reason="stop", total_duration=1, eval_count=1, prompt_eval_count=1)
                return (json.dumps(payload) + "\n").encode()

            if body.get("stream") is False:
                self._send_json(200, json.loads(line(script.reply, True)))
                return
            blocks = [line(p, False) for p in self._pieces(script)] + [line("", True)]
            self._stream("application/x-ndjson", blocks, script)

        def _openai_chat(self, body: dict[str, Any], script: Script) -> None:
            model = body.get("model", "")
            base = {"id": "chatcmpl-nep", "object": "chat.completion.chunk", "created": 0, "model": model}

            def event(delta: dict[str, Any], finish: str | None) -> bytes:
                chunk = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
                return f"data: {json.dumps(chunk)}\n\n".encode()

            if not body.get("stream"):
                message = {"role": "assistant", "content": script.reply}
                choice = {"index": 0, "message": message, "finish_reason": "stop"}
                self._send_json(200, {**base, "object": "chat.completion", "choices": [choice]})
                return
            blocks = [event({"role": "assistant", "content": ""}, None)]
            blocks += [event({"content": p}, None) for p in self._pieces(script)]
            blocks += [event({}, "stop"), b"data: [DONE]\n\n"]
            self._stream("text/event-stream", blocks, script)

    return Handler

"""A small gradio app behind AVG-assistent's login, run as its own process by the tests.

``python tests/login_server.py USERS_DB PORT SESSION_HOURS MAX_FAILURES WINDOW_S`` serves until
killed. A separate process keeps the server's threads and event loop out of the test process.
"""

from __future__ import annotations

import sys
from pathlib import Path

import gradio as gr
import uvicorn

from assistant.features.accounts.sessions import SessionStore
from assistant.features.accounts.users import ScryptParams, UserStore
from assistant.interfaces.web.login import Login
from assistant.interfaces.web.server import web_server


def main(argv: list[str]) -> None:
    """Serve a one-line page that needs a login, with the given session and throttle limits."""
    users_db, port, session_hours, max_failures, window_s = argv
    users = UserStore(Path(users_db), kdf=ScryptParams(log2_n=10, r=8, p=1))
    login = Login(users, SessionStore(float(session_hours) * 3600), "Log in.")
    with gr.Blocks() as ui:
        gr.Markdown("Vragen over de AVG")
    throttle = {"max_failures": int(max_failures), "window_s": float(window_s)}
    server = web_server(ui, {}, login, throttle)
    uvicorn.run(server, host="127.0.0.1", port=int(port), log_level="warning")


if __name__ == "__main__":
    main(sys.argv[1:])

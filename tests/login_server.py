"""A small gradio app behind AVG-assistent's login middleware, run as its own process by the tests.

``python tests/login_server.py USERS_DB PORT SESSION_HOURS MAX_FAILURES WINDOW_S`` serves until
killed. A separate process keeps gradio's server threads and event loop out of the test process.
"""

from __future__ import annotations

import sys
from pathlib import Path

import gradio as gr
from starlette.middleware import Middleware

from assistant.features.accounts.users import ScryptParams, UserStore
from assistant.interfaces.web.auth import LoginRequired, LoginThrottle


def main(argv: list[str]) -> None:
    """Serve a one-line page that needs a login, with the given session and throttle limits."""
    users_db, port, session_hours, max_failures, window_s = argv
    users = UserStore(Path(users_db), kdf=ScryptParams(log2_n=10, r=8, p=1))
    with gr.Blocks() as ui:
        gr.Markdown("Vragen over de AVG")
    middleware = [
        Middleware(LoginThrottle, max_failures=int(max_failures), window_s=float(window_s)),
        Middleware(LoginRequired, users=users, session_hours=float(session_hours)),
    ]
    ui.launch(
        quiet=True,
        server_name="127.0.0.1",
        server_port=int(port),
        auth=users.authenticate,
        app_kwargs={"middleware": middleware},
    )


if __name__ == "__main__":
    main(sys.argv[1:])

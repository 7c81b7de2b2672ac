"""A Content-Security-Policy on every response: the browser loads nothing from elsewhere.

The second fence behind :mod:`assistant.interfaces.web.plain_text`: even a remote image or
link that slipped into the page would not be fetched (``img-src``), and scripts can only talk
to this server (``connect-src``). Gradio needs inline scripts and styles and ``new Function``
(for ``js_on_load``), so those stay allowed for our own origin only.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "worker-src 'self' blob:",
        "frame-src 'self'",
        "frame-ancestors 'self'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


class ContentSecurityPolicy:
    """ASGI middleware that adds :data:`POLICY` to every HTTP response."""

    def __init__(self, app: ASGIApp, policy: str = POLICY) -> None:
        self.app = app
        self.header = (b"content-security-policy", policy.encode("ascii"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the header to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != self.header[0]]
                message["headers"] = [*headers, self.header]
            await send(message)

        await self.app(scope, receive, with_policy)

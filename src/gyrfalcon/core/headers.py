"""Security headers on every response: API, single-page app, API docs and static files.

One middleware rather than per-route headers, so a route added later (or a response
made by Starlette itself, e.g. a 404 or 405) cannot leave them out.

The policy allows scripts from this origin only, so an injected ``<script>`` or an
inline event handler never runs. Styles keep ``'unsafe-inline'``: Ant Design writes its
CSS-in-JS ``<style>`` tags at run time and Swagger UI sets ``style`` attributes, and
an injected style cannot run code. ``data:`` images and fonts are the icons both UIs
inline in their stylesheets.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # frame-ancestors says the same to current browsers; older ones only know this.
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


class SecurityHeadersMiddleware:
    """Sets :data:`SECURITY_HEADERS` on every HTTP response that does not set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)

"""The HTTP service as an ASGI app, for any ASGI server (``simexit[server]``).

``simexit serve`` runs it under uvicorn in one process; a process manager
runs :func:`make_app` itself, e.g. ``gunicorn 'simexit.server:make_app()'``
with uvicorn workers (docs/server.md).  Importing this module needs
Starlette; :mod:`simexit` itself never imports it.
"""

from __future__ import annotations

from ._server import DEFAULT_MAX_BODY, make_app

__all__ = ["DEFAULT_MAX_BODY", "make_app"]

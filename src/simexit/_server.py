"""The HTTP service of ``simexit serve``: a Starlette app (extra ``simexit[server]``).

:func:`make_app` builds the app; ``simexit serve`` runs it under uvicorn
(:func:`serve`), and any ASGI server can run it (docs/server.md).  It is a
thin layer: the request's situation is read by :mod:`._situation_json`,
planned by :func:`simexit.plan_for`, and answered as the exact bytes of
:func:`simexit.to_json`; nothing here decides anything about a plan.

Privacy: the access log (logger ``simexit.server``) holds the method, the
route's template (``/v1/countries/{code}``, never the path asked for nor a
query string), the status and the time taken; no body, no client address.
Planning runs in a worker thread: the first plan for a country loads and
compiles its data (file reads, tens of milliseconds), which must not stall
every other connection on the event loop.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._loader import Registry
from ._openapi import ROUTES, openapi
from ._situation import SITUATION_FIELDS
from .exceptions import (
    DataPackageError,
    InvalidJSONError,
    InvalidSituationError,
    SimexitError,
    UnknownCountryError,
    UnknownOperatorError,
)

#: The largest request body read, in bytes (a situation is a few hundred).
DEFAULT_MAX_BODY = 64 * 1024

#: The keys a ``POST /v1/plan`` body may have.
REQUEST_KEYS = ("situation", "locale", "today", "done")

log = logging.getLogger("simexit.server")

_JSON = "application/json"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _TooLarge(Exception):
    pass


class _InSituation(Exception):
    """*error* was found in the request's situation at *field*."""

    def __init__(self, error: SimexitError, field: str) -> None:
        super().__init__(error, field)
        self.error, self.field = error, field


def _dumps(data: Any) -> bytes:
    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def error_response(
    status: int, kind: str, message: str, field: str | None = None
) -> Response:
    """``{"error": {"type", "message", "field"}}`` with *status*."""
    body = {"error": {"type": kind, "message": message, "field": field}}
    return Response(_dumps(body), status_code=status, media_type=_JSON)


def _situation_field(field: str) -> str:
    """A Situation field's name as a path in the request body."""
    head = re.split(r"[.\[]", field, maxsplit=1)[0]
    return f"situation.{field}" if head in ("country", *SITUATION_FIELDS) else field


def _simexit_error(e: SimexitError) -> Response:
    """The response for an error simexit raised on a request."""
    kind, message = type(e).__name__, str(e)
    if isinstance(e, UnknownCountryError):
        return error_response(404, kind, message, "situation.country")
    if isinstance(e, UnknownOperatorError):
        return error_response(422, kind, message, "situation.operator")
    if isinstance(e, InvalidSituationError):
        return error_response(422, kind, message, _situation_field(e.field))
    if isinstance(e, DataPackageError):  # the server's data, not the request
        log.error("data package error: %s", kind)
        return error_response(500, kind, "the country's data does not load", None)
    return error_response(422, kind, message, None)


# -- the plan request ---------------------------------------------------------


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, refused as soon as it passes *limit* bytes while read
    (a Content-Length above it is refused before reading; a missing or
    false one is not trusted)."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _request_values(body: dict[str, Any]) -> dict[str, Any]:
    """``plan_for``'s arguments from the body's keys (besides the situation).

    Raises:
        InvalidSituationError: a key is unknown or its value is not valid.
    """
    for key in body:
        if key not in REQUEST_KEYS:
            raise InvalidSituationError(
                key, body[key], "only the keys: " + ", ".join(REQUEST_KEYS)
            )
    out: dict[str, Any] = {}
    if "locale" in body:  # else plan_for's default
        if not isinstance(body["locale"], str):
            raise InvalidSituationError(
                "locale", body["locale"], "a BCP 47 tag (a string)"
            )
        out["locale"] = body["locale"]
    today = body.get("today")
    if today is not None:
        day = None
        if isinstance(today, str) and _DATE.match(today):
            try:
                day = dt.date.fromisoformat(today)
            except ValueError:
                day = None
        if day is None:
            raise InvalidSituationError("today", today, "a date YYYY-MM-DD or null")
        out["today"] = day
    if body.get("done") is not None:  # a list of step ids; plan_for checks it
        out["done"] = body["done"]
    return out


def _plan_bytes(body: dict[str, Any], registry: Registry | None) -> bytes:
    """The plan for *body* as the bytes of ``to_json`` (runs in a thread)."""
    from . import plan_for, to_json
    from ._situation_json import situation_from_data

    if "situation" not in body:
        raise InvalidSituationError("situation", None, "an object: it is required")
    values = _request_values(body)
    try:
        situation = situation_from_data(body["situation"])
    except InvalidJSONError as e:  # not an object
        raise InvalidSituationError(
            "situation", body["situation"], "an object, as in /v1/schema/situation"
        ) from e
    except InvalidSituationError as e:  # an unknown key too: name it in the body
        raise _InSituation(e, f"situation.{e.field}") from None
    plan = plan_for(situation, registry=registry, **values)
    return to_json(plan).encode("utf-8")


def _plan_endpoint(
    registry: Registry | None, max_body: int
) -> Callable[[Request], Awaitable[Response]]:
    async def plan(request: Request) -> Response:
        try:
            raw = await _read_body(request, max_body)
        except _TooLarge:
            return error_response(
                413,
                "RequestTooLarge",
                f"the request body is larger than {max_body} bytes",
            )
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError) as e:
            return error_response(400, "InvalidJSONError", f"not JSON: {e}")
        if not isinstance(body, dict):
            return error_response(
                400, "InvalidJSONError", "the request body must be a JSON object"
            )
        try:
            data = await run_in_threadpool(_plan_bytes, body, registry)
        except SimexitError as e:
            return _simexit_error(e)
        except _InSituation as e:
            return error_response(422, type(e.error).__name__, str(e.error), e.field)
        except Exception as e:  # a bug: say so, log its type, never its message
            return await _internal_error(request, e)
        return Response(data, media_type=_JSON)

    return plan


# -- countries, schemas, openapi ------------------------------------------------


def country_data(code: str, registry: Registry | None) -> dict[str, Any]:
    """What a client needs to know of one country (``GET /v1/countries/{code}``)."""
    from . import load_country
    from ._coverage_report import country_coverage, to_data

    country = load_country(code, registry=registry)
    own = set(country.package_operators)
    return {
        "code": country.code,
        "currency": country.currency,
        "languages": list(country.languages),
        "locales": list(country.locales),
        "cards": [c.value for c in country.cards],
        "data_version": country.data_version,
        "data_as_of": country.data_as_of.isoformat(),
        "operators": [
            {
                "id": op.id,
                "name": op.name,
                "kind": op.kind.value,
                "status": op.status.value,
                "cards": [c.value for c in op.cards],
                "package": op.id in own,
            }
            for op in sorted(country.operators.values(), key=lambda o: o.id)
        ],
        "coverage": to_data([country_coverage(country)])[0],
    }


def _cached(make: Callable[[], bytes]) -> Callable[[], bytes]:
    box: list[bytes] = []

    def get() -> bytes:
        if not box:
            box.append(make())
        return box[0]

    return get


def _schema_bytes(which: str) -> bytes:
    from . import _schema

    return _dumps(getattr(_schema, f"{which}_schema")())


def _info_endpoints(registry: Registry | None) -> dict[str, Any]:
    """The GET routes' endpoints, by path."""
    from . import __version__, countries

    countries_body = _cached(
        lambda: _dumps({"countries": list(countries(registry=registry))})
    )
    openapi_body = _cached(lambda: _dumps(openapi(__version__)))
    schemas = {w: _cached(lambda w=w: _schema_bytes(w)) for w in ("plan", "situation")}  # type: ignore[misc]
    by_code: dict[str, bytes] = {}

    async def list_countries(request: Request) -> Response:
        return Response(await run_in_threadpool(countries_body), media_type=_JSON)

    async def one_country(request: Request) -> Response:
        code = str(request.path_params["code"]).upper()
        if code not in by_code:
            try:
                data = await run_in_threadpool(country_data, code, registry)
            except UnknownCountryError as e:
                return error_response(404, type(e).__name__, str(e), "code")
            except SimexitError as e:
                return _simexit_error(e)
            by_code[code] = _dumps(data)  # only countries that exist are kept
        return Response(by_code[code], media_type=_JSON)

    async def schema(request: Request) -> Response:
        which = request.path_params["which"]
        if which not in schemas:
            return error_response(
                404, "NotFound", "no such schema: expected plan or situation", "which"
            )
        return Response(await run_in_threadpool(schemas[which]), media_type=_JSON)

    async def openapi_doc(request: Request) -> Response:
        return Response(await run_in_threadpool(openapi_body), media_type=_JSON)

    async def healthz(request: Request) -> Response:
        return Response(
            _dumps({"status": "ok", "version": __version__}), media_type=_JSON
        )

    return {
        "/v1/countries": list_countries,
        "/v1/countries/{code}": one_country,
        "/v1/schema/{which}": schema,
        "/openapi.json": openapi_doc,
        "/healthz": healthz,
    }


# -- the app ----------------------------------------------------------------------


class AccessLog:
    """ASGI middleware: one log line per request, without personal data:
    the method, the route's template (``-`` for no route), the status and
    the milliseconds taken."""

    def __init__(self, app: ASGIApp, templates: dict[Any, str]) -> None:
        self.app = app
        self.templates = templates

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = [500]

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = self.templates.get(scope.get("endpoint"), "-")
            ms = (time.perf_counter() - start) * 1000
            log.info("%s %s %d %.1fms", scope.get("method"), route, status[0], ms)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return error_response(405, "MethodNotAllowed", "method not allowed here")
    if exc.status_code == 404:
        return error_response(404, "NotFound", "no such route (see /openapi.json)")
    return error_response(exc.status_code, "HTTPException", str(exc.detail))


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.error("internal error: %s", type(exc).__name__)  # never its message
    return error_response(500, "InternalError", "internal error")


def make_app(
    registry: Registry | None = None,
    *,
    cors_origins: Iterable[str] = (),
    max_body: int = DEFAULT_MAX_BODY,
) -> Starlette:
    """The HTTP service as a Starlette (ASGI) app.

    *registry* (default: the installed countries) is where plans come from;
    *cors_origins* lists the browser origins allowed to call it (none:
    CORS off); *max_body* is the largest request body read, in bytes.
    """
    if not isinstance(max_body, int) or isinstance(max_body, bool) or max_body < 1:
        raise InvalidSituationError(
            "max_body", max_body, "a number of bytes, 1 or more"
        )
    if registry is not None and not isinstance(registry, Registry):
        raise InvalidSituationError("registry", registry, "a simexit.Registry or None")
    if isinstance(cors_origins, str | bytes):  # its letters are not origins
        raise InvalidSituationError(
            "cors_origins",
            cors_origins,
            "a list of origins such as ['https://app.example']",
        )
    origins = [str(o) for o in cors_origins]
    endpoints = {"/v1/plan": _plan_endpoint(registry, max_body)}
    endpoints.update(_info_endpoints(registry))
    routes = [Route(path, endpoints[path], methods=[m]) for m, path, _ in ROUTES]
    middleware = [Middleware(AccessLog, templates={r.endpoint: r.path for r in routes})]
    if origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=origins,
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type"],
            )
        )
    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: _http_error, Exception: _internal_error},
    )


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration, plus the ``simexit.server`` access log."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["simexit.server"] = {
        "handlers": ["default"],
        "level": "INFO",
        "propagate": False,
    }
    return config


def uvicorn_config(app: Any, **options: Any) -> Any:
    """A ``uvicorn.Config`` for *app* that keeps the logging policy: uvicorn's
    own access log (which shows query strings and client addresses) off,
    the ``simexit.server`` access log on.  *options* go to uvicorn (``host``,
    ``port``, ``fd``, ...)."""
    import uvicorn

    options.setdefault("log_config", log_config())
    return uvicorn.Config(app, access_log=False, server_header=False, **options)


def serve(
    host: str, port: int, *, cors_origins: Iterable[str] = (), max_body: int | None
) -> None:
    """Run the service under uvicorn until interrupted, in one process."""
    import uvicorn

    app = make_app(cors_origins=cors_origins, max_body=max_body or DEFAULT_MAX_BODY)
    uvicorn.Server(uvicorn_config(app, host=host, port=port)).run()

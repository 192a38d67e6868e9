"""The OpenAPI description of the HTTP service, built from the JSON Schemas.

The Plan and Situation schemas are :mod:`simexit._schema`'s, generated from
the classes; their ``$defs`` become ``components/schemas`` and every
``#/$defs/X`` reference is rewritten to point there.  The routes are listed
in :data:`ROUTES`, which the server also serves, so a route cannot be
served without being described (a test checks both ways).  Needs no web
framework: ``simexit[server]`` is only needed to serve it.
"""

from __future__ import annotations

from typing import Any

from ._schema import plan_schema, situation_schema

_COMPONENTS = "#/components/schemas/"

#: (method, path, summary): every route of the service.
ROUTES: tuple[tuple[str, str, str], ...] = (
    ("POST", "/v1/plan", "The plan for a situation: the bytes of simexit.to_json"),
    ("GET", "/v1/countries", "The country codes with a data package"),
    ("GET", "/v1/countries/{code}", "One country: operators, languages, coverage"),
    ("GET", "/v1/schema/{which}", "A JSON Schema: plan or situation"),
    ("GET", "/openapi.json", "This description"),
    ("GET", "/healthz", "Whether the service answers"),
)


def _rewrite(node: Any) -> Any:
    """*node* with ``#/$defs/X`` references pointed at the components."""
    if isinstance(node, dict):
        return {
            k: (
                _COMPONENTS + v.removeprefix("#/$defs/")
                if k == "$ref" and isinstance(v, str)
                else _rewrite(v)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rewrite(v) for v in node]
    return node


def _root(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    """*schema*'s root, its ``$defs`` moved into *components*."""
    body = {
        k: v for k, v in schema.items() if k not in ("$schema", "$id", "$defs", "title")
    }
    for name, sub in schema.get("$defs", {}).items():
        components.setdefault(name, _rewrite(sub))
    return _rewrite(body)  # type: ignore[no-any-return]


def _error_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "error": {
                "type": "object",
                "properties": {
                    "type": {
                        "type": "string",
                        "description": "the error's name, e.g. InvalidSituationError",
                    },
                    "message": {"type": "string"},
                    "field": {
                        "anyOf": [{"type": "string"}, {"type": "null"}],
                        "description": "the request field at fault, e.g. situation.card",
                    },
                },
                "required": ["type", "message", "field"],
                "additionalProperties": False,
            }
        },
        "required": ["error"],
        "additionalProperties": False,
    }


def _request_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "situation": {"$ref": _COMPONENTS + "SituationInput"},
            "locale": {
                "type": "string",
                "description": "a BCP 47 tag, negotiated as plan_for does (default: English)",
            },
            "today": {
                "anyOf": [{"type": "string", "format": "date"}, {"type": "null"}],
                "description": "plan as of this day, YYYY-MM-DD (default: today)",
            },
            "done": {
                "anyOf": [
                    {"type": "array", "items": {"type": "string"}},
                    {"type": "null"},
                ],
                "description": "ids of the steps already done: left out of "
                "steps and listed in the plan's done",
            },
        },
        "required": ["situation"],
        "additionalProperties": False,
    }


def _country_schema() -> dict[str, Any]:
    strings = {"type": "array", "items": {"type": "string"}}
    operator = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"type": "string"},
            "status": {"type": "string"},
            "cards": strings,
            "package": {"type": "boolean"},
        },
    }
    return {
        "type": "object",
        "properties": {
            "code": {"type": "string"},
            "currency": {"type": "string"},
            "languages": strings,
            "locales": strings,
            "cards": strings,
            "data_version": {"type": "string"},
            "data_as_of": {"type": "string", "format": "date"},
            "operators": {"type": "array", "items": operator},
            "coverage": {"type": "object"},
        },
    }


def _json_content(ref: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": {"$ref": _COMPONENTS + ref}}}}


def _errors(*codes: int) -> dict[str, Any]:
    words = {
        400: "not JSON, or not an object",
        404: "unknown country, schema or route",
        413: "request body too large",
        422: "invalid request; field names what",
    }
    return {str(c): {"description": words[c], **_json_content("Error")} for c in codes}


def _operations() -> dict[str, dict[str, Any]]:
    any_json: dict[str, Any] = {"content": {"application/json": {"schema": {}}}}
    code = [
        {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    which = [
        {
            "name": "which",
            "in": "path",
            "required": True,
            "schema": {"enum": ["plan", "situation"]},
        }
    ]
    return {
        "/v1/plan": {
            "requestBody": {"required": True, **_json_content("PlanRequest")},
            "responses": {
                "200": {"description": "the plan", **_json_content("Plan")},
                **_errors(400, 404, 413, 422),
            },
        },
        "/v1/countries": {
            "responses": {
                "200": {
                    "description": "the codes, sorted",
                    **_json_content("Countries"),
                }
            }
        },
        "/v1/countries/{code}": {
            "parameters": code,
            "responses": {
                "200": {"description": "the country", **_json_content("Country")},
                **_errors(404),
            },
        },
        "/v1/schema/{which}": {
            "parameters": which,
            "responses": {
                "200": {"description": "the schema", **any_json},
                **_errors(404),
            },
        },
        "/openapi.json": {"responses": {"200": {"description": "OpenAPI", **any_json}}},
        "/healthz": {
            "responses": {"200": {"description": "ok", **_json_content("Health")}}
        },
    }


def openapi(version: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the service (simexit *version*)."""
    components: dict[str, Any] = {}
    components["Plan"] = _root(plan_schema(), components)
    components["SituationInput"] = _root(situation_schema(), components)
    components["PlanRequest"] = _request_schema()
    components["Error"] = _error_schema()
    components["Country"] = _country_schema()
    components["Countries"] = {
        "type": "object",
        "properties": {"countries": {"type": "array", "items": {"type": "string"}}},
        "required": ["countries"],
    }
    components["Health"] = {
        "type": "object",
        "properties": {"status": {"const": "ok"}, "version": {"type": "string"}},
    }
    ops = _operations()
    paths: dict[str, dict[str, Any]] = {}
    for method, path, summary in ROUTES:
        op = {"summary": summary, **ops[path]}
        params = op.pop("parameters", None)
        entry = paths.setdefault(path, {})
        if params:
            entry["parameters"] = params
        entry[method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "simexit",
            "version": version,
            "description": "Plans for ending a SIM card, eSIM, travel eSIM or "
            "e-visa cleanly, from sourced country data (docs/server.md).",
        },
        "paths": paths,
        "components": {"schemas": dict(sorted(components.items()))},
    }

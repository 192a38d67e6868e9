"""The HTTP service (``simexit serve``): routes, bytes, errors, limits, CORS,
logs, OpenAPI — through Starlette's TestClient, in-process."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import logging
import sys
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from starlette.testclient import TestClient

import simexit
import simexit.server
from simexit import _server
from simexit._openapi import ROUTES, openapi
from simexit._schema import plan_schema, situation_schema
from simexit._situation_json import situation_from_data
from simexit.cli import main

DAY = "2026-11-23"
SITUATIONS: list[dict[str, Any]] = [
    {"country": "AZ", "operator": "azercell", "card": "esim",
     "arrears": {"amount": "4.50", "currency": "AZN"},
     "balance": {"amount": "3.20", "currency": "AZN"}, "location": "abroad"},
    {"country": "KZ", "card": "travel_esim", "operator": "airalo", "autopay": False},
    {"country": "GE", "device": "lost", "accounts": ["whatsapp", "bank"]},
    {"country": "JP", "billing": "postpaid", "keep_number": True},
    {"country": "FR", "card": "travel_esim"},  # no package: plans anyway
]  # fmt: skip


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(_server.make_app(), raise_server_exceptions=False) as c:
        yield c


def expected(situation: dict[str, Any], locale: str = "en", today: str = DAY) -> bytes:
    plan = simexit.plan_for(
        situation_from_data(situation),
        locale=locale,
        today=dt.date.fromisoformat(today),
    )
    return simexit.to_json(plan).encode("utf-8")


def assert_error(response: Any, status: int, kind: str, field: str | None) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"type", "message", "field"}
    assert body["error"]["type"] == kind
    assert body["error"]["field"] == field
    assert isinstance(body["error"]["message"], str)
    return str(body["error"]["message"])


class TestPlan:
    @pytest.mark.parametrize("situation", SITUATIONS)
    @pytest.mark.parametrize("locale", ["en", "zh-Hant", "ru"])
    def test_bytes_of_to_json(self, client, situation, locale) -> None:
        """The answer is exactly simexit.to_json(plan_for(...)), as bytes."""
        r = client.post(
            "/v1/plan", json={"situation": situation, "locale": locale, "today": DAY}
        )
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/json"
        assert r.content == expected(situation, locale)

    def test_defaults(self, client) -> None:
        """Locale en and today's date when they are left out."""
        situation = SITUATIONS[0]
        r = client.post("/v1/plan", json={"situation": situation})
        assert r.content == expected(situation, "en", dt.date.today().isoformat())

    def test_null_today_is_today(self, client) -> None:
        """``today: null`` is the current date too."""
        r = client.post("/v1/plan", json={"situation": SITUATIONS[1], "today": None})
        assert r.content == expected(SITUATIONS[1], "en", dt.date.today().isoformat())

    @pytest.mark.parametrize("situation", SITUATIONS[:3])
    def test_done_steps(self, client, situation) -> None:
        """``done`` goes to plan_for: the bytes of to_json(plan_for(...,
        done=...)), the done steps listed in the plan's done; an unknown id
        is ignored, as plan_for ignores it."""
        body = {"situation": situation, "today": DAY}
        ids = [s["id"] for s in client.post("/v1/plan", json=body).json()["steps"]]
        done = [ids[-1], ids[0], "not-a-step"]
        r = client.post("/v1/plan", json={**body, "done": done})
        plan = simexit.plan_for(
            situation_from_data(situation),
            today=dt.date.fromisoformat(DAY),
            done=frozenset(done),
        )
        assert r.content == simexit.to_json(plan).encode("utf-8")
        answer = r.json()
        assert answer["done"] == [ids[0], ids[-1]]
        assert [s["id"] for s in answer["steps"]] == ids[1:-1]

    def test_null_done_is_nothing_done(self, client) -> None:
        """``done: null`` or an empty list: nothing is done yet."""
        body = {"situation": SITUATIONS[0], "today": DAY}
        nothing: list[list[str] | None] = [None, []]
        for done in nothing:
            r = client.post("/v1/plan", json={**body, "done": done})
            assert r.content == expected(SITUATIONS[0])

    def test_runs_off_the_event_loop(self, client, monkeypatch) -> None:
        """Planning runs in a worker thread, where no event loop runs."""
        seen: list[bool] = []
        real = _server._plan_bytes

        def spy(*args: Any) -> bytes:
            try:
                asyncio.get_running_loop()
                seen.append(True)
            except RuntimeError:
                seen.append(False)
            return real(*args)

        monkeypatch.setattr(_server, "_plan_bytes", spy)
        assert client.post("/v1/plan", json={"situation": SITUATIONS[0]}).is_success
        assert seen == [False]


class TestPlanErrors:
    @pytest.mark.parametrize(
        "body", [b"", b"{", b"\xff\xfe", b"nul", b"[1, 2]", b'"AZ"', b"12"]
    )
    def test_not_a_json_object_is_400(self, client, body: bytes) -> None:
        """A body that is not JSON, or not an object, is 400."""
        r = client.post(
            "/v1/plan", content=body, headers={"content-type": "application/json"}
        )
        assert_error(r, 400, "InvalidJSONError", None)

    @pytest.mark.parametrize(
        ("body", "field", "said"),
        [
            ({}, "situation", "required"),
            ({"situation": [1]}, "situation", "an object"),
            ({"situation": {"country": "AZ", "card": "sim"}}, "situation.card",
             "invalid card: got 'sim'"),
            ({"situation": {"country": "AZ",
                            "arrears": {"amount": "4.555", "currency": "AZN"}}},
             "situation.arrears.amount", "at most 2 decimals"),
            ({"situation": {"country": "AZ",
                            "arrears": {"amount": 4.5, "currency": "AZN"}}},
             "situation.arrears.amount", "a decimal string"),
            ({"situation": {"card": "esim"}}, "situation.country", "required"),
            ({"situation": {"country": "AZ", "imei": "1"}}, "situation.imei",
             "only the fields"),
            ({"situation": {"country": "AZ"}, "today": "23.11.2026"}, "today",
             "YYYY-MM-DD"),
            ({"situation": {"country": "AZ"}, "today": "2026-02-30"}, "today",
             "YYYY-MM-DD"),
            ({"situation": {"country": "AZ"}, "locale": 5}, "locale", "BCP 47"),
            ({"situation": {"country": "AZ"}, "name": "Ann"}, "name", "only the keys"),
            ({"situation": {"country": "AZ"}, "done": "pay-arrears"}, "done",
             "list of step ids"),
            ({"situation": {"country": "AZ"}, "done": ["pay-arrears", 3]}, "done",
             "list of step ids"),
            ({"situation": {"country": "AZ", "operator": "acme"}},
             "situation.operator", "no operator 'acme'"),
            ({"situation": {"country": "AZ", "card": "travel_esim",
                            "operator": "azercell"}},
             "situation.operator", "an operator that provides"),
        ],
    )  # fmt: skip
    def test_invalid_is_422_naming_the_field(self, client, body, field, said) -> None:
        """A bad situation or argument is 422; the field says which one."""
        message = assert_error(
            client.post("/v1/plan", json=body), 422, _kind(said), field
        )
        assert said in message

    def test_unknown_country_is_404(self, client) -> None:
        """No package and not a travel eSIM: 404, listing the packages."""
        r = client.post("/v1/plan", json={"situation": {"country": "FR"}})
        message = assert_error(r, 404, "UnknownCountryError", "situation.country")
        assert "AZ" in message

    def test_too_large_with_content_length_is_413(self) -> None:
        """A declared length above the limit is refused before reading."""
        with TestClient(_server.make_app(max_body=100)) as c:
            r = c.post("/v1/plan", content=b"{" + b" " * 200 + b"}")
        assert_error(r, 413, "RequestTooLarge", None)

    def test_too_large_while_reading_is_413(self) -> None:
        """Without a Content-Length (chunked), the limit holds while reading."""

        def chunks() -> Iterator[bytes]:
            yield b'{"situation": {"country": "AZ"}'
            for _ in range(20):
                yield b" " * 64

        with TestClient(_server.make_app(max_body=500)) as c:
            r = c.post("/v1/plan", content=chunks())
        assert "content-length" not in r.request.headers
        assert_error(r, 413, "RequestTooLarge", None)

    def test_under_the_limit_is_planned(self) -> None:
        """A chunked body under the limit is read whole."""

        def chunks() -> Iterator[bytes]:
            yield b'{"situation": '
            yield json.dumps(SITUATIONS[1]).encode() + b', "today": "2026-11-23"}'

        with TestClient(_server.make_app(max_body=500)) as c:
            r = c.post("/v1/plan", content=chunks())
        assert r.content == expected(SITUATIONS[1])

    def test_internal_error_shape_without_message(self, client, monkeypatch) -> None:
        """A bug is 500 in the same shape; its message is not shown."""

        def broken(*args: Any) -> bytes:
            raise ZeroDivisionError("secret detail")

        monkeypatch.setattr(_server, "_plan_bytes", broken)
        r = client.post("/v1/plan", json={"situation": SITUATIONS[0]})
        assert "secret" not in assert_error(r, 500, "InternalError", None)


def _kind(said: str) -> str:
    return "UnknownOperatorError" if "no operator" in said else "InvalidSituationError"


class TestOtherRoutes:
    def test_healthz(self, client) -> None:
        """The health check answers ok and the version."""
        r = client.get("/healthz")
        assert r.json() == {"status": "ok", "version": simexit.__version__}

    def test_countries(self, client) -> None:
        """The codes of simexit.countries()."""
        assert client.get("/v1/countries").json() == {
            "countries": list(simexit.countries())
        }

    @pytest.mark.parametrize("code", ["AZ", "kz", "Jp"])
    def test_one_country(self, client, code: str) -> None:
        """Operators, languages, locales, data date and coverage of a package."""
        country = simexit.load_country(code)
        body = client.get(f"/v1/countries/{code}").json()
        assert body["code"] == country.code
        assert body["data_as_of"] == country.data_as_of.isoformat()
        assert body["locales"] == list(country.locales)
        assert body["languages"] == list(country.languages)
        assert [o["id"] for o in body["operators"]] == sorted(country.operators)
        own = {o["id"] for o in body["operators"] if o["package"]}
        assert own == set(country.package_operators)
        assert body["coverage"]["country"] == country.code

    @pytest.mark.parametrize("code", ["ZZ", "FR", "AZE", "a"])
    def test_unknown_country_is_404(self, client, code: str) -> None:
        """A code no package provides is 404 naming the path's code."""
        r = client.get(f"/v1/countries/{code}")
        assert_error(r, 404, "UnknownCountryError", "code")

    @pytest.mark.parametrize(
        ("which", "schema"), [("plan", plan_schema), ("situation", situation_schema)]
    )
    def test_schemas(self, client, which, schema) -> None:
        """The JSON Schemas of simexit._schema."""
        assert client.get(f"/v1/schema/{which}").json() == schema()

    def test_unknown_schema_is_404(self, client) -> None:
        """Only plan and situation."""
        assert_error(client.get("/v1/schema/data"), 404, "NotFound", "which")

    @pytest.mark.parametrize("path", ["/", "/v2/plan", "/v1/plan/x", "/nope?a=1"])
    def test_unknown_route_is_404(self, client, path: str) -> None:
        """Any other path: 404 in the same shape."""
        assert_error(client.get(path), 404, "NotFound", None)

    def test_wrong_method_is_405(self, client) -> None:
        """GET /v1/plan or POST /healthz: 405 in the same shape."""
        assert_error(client.get("/v1/plan"), 405, "MethodNotAllowed", None)
        assert_error(client.post("/healthz"), 405, "MethodNotAllowed", None)


class TestOpenAPI:
    def test_every_route_is_listed(self, client) -> None:
        """Each route the app serves is in /openapi.json with its method,
        and nothing else is."""
        doc = client.get("/openapi.json").json()
        served = {(m, r.path) for r in client.app.routes for m in r.methods - {"HEAD"}}
        listed = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops
                  if m != "parameters"}  # fmt: skip
        assert served == listed == {(m, p) for m, p, _ in ROUTES}
        assert doc == openapi(simexit.__version__)

    def test_request_keys_are_described(self) -> None:
        """The request schema has exactly the keys the server reads."""
        doc = openapi(simexit.__version__)
        request = doc["components"]["schemas"]["PlanRequest"]
        assert tuple(request["properties"]) == _server.REQUEST_KEYS

    def test_every_reference_resolves(self) -> None:
        """Every $ref points at a schema under components."""
        doc = openapi(simexit.__version__)
        names = set(doc["components"]["schemas"])

        def refs(node: Any) -> Iterator[str]:
            if isinstance(node, dict):
                for k, v in node.items():
                    if k == "$ref":
                        yield v
                    else:
                        yield from refs(v)
            elif isinstance(node, list):
                for v in node:
                    yield from refs(v)

        found = set(refs(doc))
        assert found
        for ref in found:
            assert ref.removeprefix("#/components/schemas/") in names, ref

    def test_request_and_answer_fit_the_components(self, client) -> None:
        """A real request and its plan validate against the OpenAPI schemas."""
        doc = openapi(simexit.__version__)

        def check(instance: Any, name: str) -> None:
            schema = {
                "$ref": f"#/components/schemas/{name}",
                "components": doc["components"],
            }
            jsonschema.Draft202012Validator(schema).validate(instance)

        body = {"situation": SITUATIONS[0], "locale": "ru", "today": DAY,
                "done": ["backup-data"]}  # fmt: skip
        check(body, "PlanRequest")
        check(client.post("/v1/plan", json=body).json(), "Plan")
        check(client.get("/v1/countries/AZ").json(), "Country")
        check(client.get("/healthz").json(), "Health")
        error = client.post("/v1/plan", json={"situation": {"country": 1}}).json()
        check(error, "Error")
        with pytest.raises(jsonschema.ValidationError):
            check({"situation": {"country": "AZ", "pin": "1"}}, "PlanRequest")


class TestCORS:
    def test_off_by_default(self, client) -> None:
        """No CORS header unless origins are configured."""
        r = client.get("/healthz", headers={"origin": "https://app.example"})
        assert "access-control-allow-origin" not in r.headers

    def test_configured_origins(self) -> None:
        """A configured origin is allowed (preflight too); another is not."""
        app = _server.make_app(cors_origins=["https://app.example"])
        with TestClient(app) as c:
            ok = c.get("/healthz", headers={"origin": "https://app.example"})
            other = c.get("/healthz", headers={"origin": "https://evil.example"})
            pre = c.options(
                "/v1/plan",
                headers={
                    "origin": "https://app.example",
                    "access-control-request-method": "POST",
                    "access-control-request-headers": "content-type",
                },
            )
        assert ok.headers["access-control-allow-origin"] == "https://app.example"
        assert "access-control-allow-origin" not in other.headers
        assert pre.status_code == 200
        assert "POST" in pre.headers["access-control-allow-methods"]


#: A situation whose values must never reach a log.
SECRET = {"country": "AZ", "operator": "zq-secret-op", "card": "esim",
          "arrears": {"amount": "987654.31", "currency": "AZN"}}  # fmt: skip


class TestLogs:
    def test_no_situation_values_in_logs(self, client, caplog) -> None:
        """The access log names the route template, never values, bodies or
        query strings."""
        caplog.set_level(logging.DEBUG)
        client.post("/v1/plan?phone=99450555", json={"situation": SECRET})
        client.get("/v1/countries/az?name=Ann")
        client.get("/secret-path-994")
        text = "\n".join(  # what the server logged, not the test's client
            r.getMessage() for r in caplog.records if not r.name.startswith("httpx")
        )
        for value in ("zq-secret-op", "987654.31", "99450555", "Ann", "994"):
            assert value not in text
        lines = [r.getMessage() for r in caplog.records if r.name == "simexit.server"]
        assert lines[0].startswith("POST /v1/plan 422 ")
        assert lines[1].startswith("GET /v1/countries/{code} 200 ")
        assert lines[2].startswith("GET - 404 ")

    def test_serve_keeps_uvicorn_access_log_off(self, monkeypatch) -> None:
        """``simexit serve`` runs uvicorn without its access log (query
        strings, addresses) and with ours."""
        import uvicorn

        seen: list[Any] = []
        monkeypatch.setattr(uvicorn.Server, "run", lambda self: seen.append(self))
        assert main(["serve", "--port", "0", "--cors-origin", "https://a.example"]) == 0
        config = seen[0].config
        assert config.access_log is False
        assert config.log_config["loggers"]["simexit.server"]["level"] == "INFO"
        assert (config.host, config.port) == ("127.0.0.1", 0)


class TestServeCommand:
    def test_without_the_extra(self, monkeypatch, capsys) -> None:
        """No Starlette or uvicorn: exit 2, one line saying what to install."""
        monkeypatch.setitem(sys.modules, "uvicorn", None)
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        assert main(["serve"]) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert err.count("\n") == 1
        assert 'pip install "simexit[server]"' in err
        assert "Traceback" not in err

    def test_address_in_use_is_exit_74(self, monkeypatch, capsys) -> None:
        """When uvicorn cannot start (it logs why and exits), serve says so
        in one line and exits 74, the status of a resource that cannot be used."""
        import uvicorn

        def fail(self: Any) -> None:
            sys.exit(3)

        monkeypatch.setattr(uvicorn.Server, "run", fail)
        assert main(["serve", "--port", "8000"]) == 74
        err = capsys.readouterr().err
        assert err == (
            "simexit serve: error: cannot serve on 127.0.0.1:8000 "
            "(the line above says why)\n"
        )

    @pytest.mark.parametrize(
        "args", [["--port", "70000"], ["--port", "x"], ["--max-body", "0"]]
    )
    def test_bad_flags(self, args, capsys) -> None:
        """Bad flags are one line and exit 2."""
        assert main(["serve", *args]) == 2
        assert capsys.readouterr().err.count("\n") == 1

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"max_body": 0}, "max_body"),
            ({"max_body": True}, "max_body"),
            ({"registry": "AZ"}, "registry"),
            ({"cors_origins": "https://app.example"}, "cors_origins"),
        ],
    )
    def test_make_app_checks_its_arguments(self, kwargs, field) -> None:
        """make_app refuses a bad limit or registry, naming it."""
        with pytest.raises(simexit.InvalidSituationError) as info:
            _server.make_app(**kwargs)
        assert info.value.field == field

    def test_broken_data_is_500_without_details(self, copy_package) -> None:
        """The server's own data failing to load is 500 DataPackageError;
        the message does not show the server's files."""
        folder = copy_package("az")
        (folder / "sources.toml").write_text("[sources.bad\n", encoding="utf-8")
        app = simexit.server.make_app(simexit.Registry.from_paths(folder))
        with TestClient(app) as c:
            plan = c.post("/v1/plan", json={"situation": {"country": "AZ"}})
            country = c.get("/v1/countries/AZ")
        for r in (plan, country):
            message = assert_error(r, 500, "DataPackageError", None)
            assert "sources.toml" not in message

    def test_a_registry_of_folders(self, tmp_path) -> None:
        """make_app(registry=...) plans from that registry."""
        from pathlib import Path

        data = Path(simexit.__file__).parent / "data" / "az"
        registry = simexit.Registry.from_paths(data)
        with TestClient(_server.make_app(registry)) as c:
            assert c.get("/v1/countries").json() == {"countries": ["AZ"]}
            r = c.post("/v1/plan", json={"situation": SITUATIONS[0], "today": DAY})
        plan = simexit.plan_for(
            situation_from_data(SITUATIONS[0]),
            today=dt.date(2026, 11, 23),
            registry=registry,
        )
        assert r.content == simexit.to_json(plan).encode()

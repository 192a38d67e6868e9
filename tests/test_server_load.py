"""The HTTP service under load: a real uvicorn server on loopback, thousands
of concurrent requests, zero errors, the bytes of ``to_json``, memory flat,
and nothing of a situation in its logs.

The server runs in its own process (started with the socket the test bound,
so the port is free and known), as in production; the clients are threads
of this process, each on one keep-alive connection (``http.client``).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import simexit
from simexit._situation_json import situation_from_data

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="reads RSS from /proc"
)

DAY = "2026-11-23"
CLIENTS = 16
#: Requests per batch; three batches: warm-up, then two measured (3000 in all).
BATCH = 1000
#: How much the server's RSS may grow from the first measured batch to the
#: second.  Both batches send the same requests, so once warm (data loaded,
#: memos filled, worker threads started) a server that keeps nothing per
#: request grows by allocator noise only (about 0.2 MiB measured here, with a
#: load average of 9 on 2 cores).  One plan's JSON is over 10 KiB, so keeping
#: any response, request or plan per request would pass 2 MiB ten times over;
#: even a 2 KiB leak per request would pass it.
MAX_GROWTH_KIB = 2 * 1024

LAUNCH = """
import socket, sys
import uvicorn
from simexit import _server

sock = socket.socket(fileno=int(sys.argv[1]))
config = _server.uvicorn_config(_server.make_app())
uvicorn.Server(config).run(sockets=[sock])
"""

SITUATIONS: list[dict[str, Any]] = [
    {"country": "AZ", "operator": "azercell", "card": "esim",
     "arrears": {"amount": "987654.31", "currency": "AZN"},
     "balance": {"amount": "3.20", "currency": "AZN"}, "location": "abroad"},
    {"country": "KZ", "card": "travel_esim", "operator": "airalo", "autopay": False},
    {"country": "GE", "device": "lost", "accounts": ["whatsapp", "bank"]},
    {"country": "JP", "billing": "postpaid", "keep_number": True},
    {"country": "UZ", "card": "esim", "registered_owner": False},
    {"country": "FR", "card": "travel_esim", "operator": "holafly"},
]  # fmt: skip
LOCALES = ("en", "zh-Hans", "zh-Hant", "ru")

#: (method, path, body, expected status, expected body or None)
Request = tuple[str, str, bytes | None, int, bytes | None]
#: (port, pid, log file, the requests to send)
Server = tuple[int, int, Path, list[Request]]


def expected_requests() -> list[Request]:
    """Each request once, with the status and (for plans) the bytes expected."""
    out: list[Request] = []
    day = dt.date.fromisoformat(DAY)
    for situation in SITUATIONS:
        for locale in LOCALES:
            plan = simexit.plan_for(
                situation_from_data(situation), locale=locale, today=day
            )
            body = {"situation": situation, "locale": locale, "today": DAY}
            out.append(
                (
                    "POST",
                    "/v1/plan?phone=99450555",
                    json.dumps(body).encode(),
                    200,
                    simexit.to_json(plan).encode(),
                )
            )
    done = ["pay-arrears", "backup-data"]
    plan = simexit.plan_for(
        situation_from_data(SITUATIONS[0]), today=day, done=frozenset(done)
    )
    body = {"situation": SITUATIONS[0], "today": DAY, "done": done}
    out.append(
        (
            "POST",
            "/v1/plan",
            json.dumps(body).encode(),
            200,
            simexit.to_json(plan).encode(),
        )
    )
    bad = {"situation": {"country": "AZ", "card": "zq-bad-card"}}
    out.append(("POST", "/v1/plan", json.dumps(bad).encode(), 422, None))
    out.append(("GET", "/healthz", None, 200, None))
    out.append(("GET", "/v1/countries/AZ", None, 200, None))
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A uvicorn server in a subprocess, and the requests to send it
    (computed while it starts)."""
    log = tmp_path_factory.mktemp("server") / "server.log"
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(256)
    port = sock.getsockname()[1]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, str(sock.fileno())],
            pass_fds=[sock.fileno()],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    sock.close()
    try:
        requests = expected_requests()
        _wait_until_up(port, proc)
        yield port, proc.pid, log, requests
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _wait_until_up(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the server exited"
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not start")


def _client(port: int, work: list[Request]) -> list[str]:
    """Send *work* on one keep-alive connection; each mismatch described."""
    errors: list[str] = []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for method, path, body, status, want in work:
            headers = {"content-type": "application/json"} if body else {}
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            got = r.read()
            if r.status != status or (want is not None and got != want):
                errors.append(f"{method} {path}: {r.status} {got[:80]!r}")
    finally:
        conn.close()
    return errors


def _batch(port: int, requests: list[Request], n: int) -> list[str]:
    """*n* requests from CLIENTS concurrent clients; every error found."""
    work = [requests[i % len(requests)] for i in range(n)]
    shares = [work[i::CLIENTS] for i in range(CLIENTS)]
    with ThreadPoolExecutor(CLIENTS) as pool:
        return [
            e for errors in pool.map(_client, [port] * CLIENTS, shares) for e in errors
        ]


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")  # pragma: no cover


class TestLoad:
    def test_thousands_of_requests(self, server: Server) -> None:
        """3 × 1000 requests from 16 clients: no error, every plan the bytes
        of to_json, and RSS after the second measured batch within 2 MiB of
        the first."""
        port, pid, _, requests = server
        started = time.monotonic()
        assert _batch(port, requests, BATCH) == []  # warm-up
        assert _batch(port, requests, BATCH) == []
        first = _rss_kib(pid)
        assert _batch(port, requests, BATCH) == []
        second = _rss_kib(pid)
        took = time.monotonic() - started
        assert second - first <= MAX_GROWTH_KIB, (first, second)
        print(f"3x{BATCH} requests in {took:.1f} s; RSS {first} -> {second} KiB")

    def test_logs_hold_no_situation_values(self, server: Server) -> None:
        """After the load, the server's log names routes, never values."""
        port, _, log, requests = server
        assert _batch(port, requests, 50) == []
        time.sleep(0.2)  # let the server write its last lines
        text = log.read_text(encoding="utf-8")
        assert "POST /v1/plan 200" in text
        for value in ("987654.31", "zq-bad-card", "99450555", "azercell", "airalo"):
            assert value not in text

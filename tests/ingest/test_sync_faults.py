"""Faults between Lantern and the Discovery API, injected by a real HTTP proxy in front of a
live Lantern: retried when retrying helps, else a recorded failure with the previous
snapshot intact."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from django.forms.models import model_to_dict

from catalog.models import Column, Environment, Execution, Ingest, Node, Run
from ingest.services import IngestError, sync_environment
from tests.ingest.sync_helpers import Served, serve

Request = dict[str, Any]  # {"n": 1, "query": "...", "variables": {...}}


@dataclass
class Fault:
    """What to do to the first request `when` matches (once, or `times` times)."""

    when: Callable[[Request], bool]
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0  # hold the request this long first (then forward it)
    times: int = 1
    # Forward the request, then change the answer's JSON: rewrite(request, body) -> body
    rewrite: Callable[[Request, Any], Any] | None = None


class FaultProxy:
    """A threaded HTTP server forwarding POSTs to `target`, faulting some of them."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.faults: list[Fault] = []
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                body = json.loads(raw)
                headers = {"Authorization": self.headers.get("Authorization", "")}
                with proxy.lock:
                    request = {"n": len(proxy.requests) + 1, **body}
                    proxy.requests.append(request)
                    fault = next((f for f in proxy.faults if f.times and f.when(request)), None)
                    if fault is not None:
                        fault.times -= 1
                try:
                    if fault is not None and fault.delay:
                        time.sleep(fault.delay)
                    if fault is not None and fault.status:
                        self.answer(fault.status, fault.body, fault.headers)
                        return
                    response = httpx.post(
                        proxy.target,
                        content=raw,
                        headers=headers | {"Content-Type": "application/json"},
                    )
                    content = response.content
                    if fault is not None and fault.rewrite is not None:
                        content = json.dumps(fault.rewrite(request, response.json())).encode()
                    self.answer(response.status_code, content, {})
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout fault)

            def answer(self, status: int, content: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/graphql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def proxied(live_server, monkeypatch) -> Iterator[tuple[Served, FaultProxy]]:
    proxy = FaultProxy(f"{live_server.url}/graphql")
    try:
        yield serve(live_server, monkeypatch, url=proxy.url), proxy
    finally:
        proxy.close()


def second_page(request: Request) -> bool:
    return bool(request.get("variables", {}).get("after"))


def sync(served: Served, **options: Any) -> Ingest:
    # Pages of 100 so that pagination happens on the small example (515 macros: 6 pages).
    return sync_environment(
        environment=served.mirror, client_options=served.fast(page_size=100, **options)
    )


def stored(env: Environment) -> dict[str, Any]:
    """Everything a sync writes, to show that a failed one wrote nothing."""
    return {
        "nodes": sorted(
            (model_to_dict(n, exclude=["loaded_at"]) for n in Node.objects.filter(environment=env)),
            key=lambda r: r["unique_id"],
        ),
        "columns": sorted(
            Column.objects.filter(node__environment=env).values_list(
                "node_id", "name", "description"
            )
        ),
        "runs": sorted(Run.objects.filter(environment=env).values_list("pk", "invocation_id")),
        "executions": Execution.objects.filter(environment=env).count(),
        "generation": Environment.objects.get(pk=env.pk).generation,
    }


def unique_ids(env: Environment) -> set[str]:
    return set(Node.objects.filter(environment=env).values_list("unique_id", flat=True))


@pytest.mark.slow
def test_a_500_mid_pagination_is_retried(proxied) -> None:
    served, proxy = proxied
    proxy.faults.append(Fault(when=second_page, status=500, body=b'{"errors":[]}'))

    ingest = sync(served)

    assert ingest.status == "succeeded", ingest.error
    assert ingest.counts["retries"] == 1
    failed = next(r for r in proxy.requests if second_page(r))
    assert proxy.requests[failed["n"]]["variables"] == failed["variables"], "the same page again"
    served_ids = unique_ids(served.source) - set(
        Node.objects.filter(environment=served.source, resource_type="analysis").values_list(
            "unique_id", flat=True
        )
    )
    assert unique_ids(served.mirror) == served_ids


@pytest.mark.slow
def test_a_429_waits_retry_after_and_resumes(proxied) -> None:
    served, proxy = proxied
    proxy.faults.append(Fault(when=second_page, status=429, headers={"Retry-After": "7"}))

    ingest = sync(served)

    assert ingest.status == "succeeded", ingest.error
    assert 7.0 in served.sleeps
    assert ingest.counts["retries"] == 0, "a 429 is a wait, not a failed attempt"


@pytest.mark.slow
def test_a_429_without_retry_after_waits_five_minutes(proxied) -> None:
    served, proxy = proxied
    proxy.faults.append(Fault(when=lambda r: r["n"] == 2, status=429))

    assert sync(served).status == "succeeded"
    assert 300.0 in served.sleeps


@pytest.mark.slow
def test_a_timeout_is_retried(proxied) -> None:
    served, proxy = proxied
    proxy.faults.append(Fault(when=second_page, delay=2.0))

    ingest = sync(served, timeout=0.5)

    assert ingest.status == "succeeded", ingest.error
    assert ingest.counts["retries"] == 1


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"data": {"environment": ', "invalid JSON"),
        (b'{"data": {"environment": {"definition": {"macros": {"edges": []}}}}}', "malformed"),
        (
            b'{"data": {"environment": {"definition": {"macros": '
            b'{"edges": [{"node": {"name": "x"}}], "pageInfo": {"hasNextPage": false}}}}}}',
            "malformed",
        ),
    ],
    ids=["invalid-json", "no-page-info", "node-without-unique-id"],
)
def test_a_malformed_page_fails_and_keeps_the_snapshot(proxied, body: bytes, message: str) -> None:
    served, proxy = proxied
    sync(served)
    before = stored(served.mirror)
    proxy.faults.append(
        Fault(when=lambda r: second_page(r) and "Macros" in r["query"], status=200, body=body)
    )

    with pytest.raises(IngestError, match=message):
        sync(served)

    failed = Ingest.objects.filter(environment=served.mirror).order_by("-id").first()
    assert failed is not None
    assert failed.status == "failed"
    assert message in failed.error
    assert 'environment "mirror"' in failed.error
    assert stored(served.mirror) == before


@pytest.mark.slow
def test_a_401_stops_at_once_and_keeps_the_snapshot(proxied) -> None:
    served, proxy = proxied
    sync(served)
    before = stored(served.mirror)
    proxy.faults.append(Fault(when=second_page, status=401, body=b'{"errors": []}', times=99))
    sent = len(proxy.requests)

    with pytest.raises(IngestError, match=r"refused the token \(HTTP 401\)"):
        sync(served)

    # The first page went through; the second was refused and nothing followed it.
    assert proxy.requests[-1]["variables"].get("after")
    assert sum(1 for r in proxy.requests[sent:] if second_page(r)) == 1
    failed = Ingest.objects.filter(environment=served.mirror).order_by("-id").first()
    assert failed is not None
    assert failed.status == "failed"
    assert 'environment "mirror"' in failed.error
    assert "token" in failed.error
    assert served.sleeps.count(300.0) == 0
    assert stored(served.mirror) == before


@pytest.mark.slow
def test_a_server_that_keeps_failing_is_a_recorded_failure(proxied) -> None:
    served, proxy = proxied
    proxy.faults.append(Fault(when=lambda r: True, status=503, times=99))

    with pytest.raises(IngestError, match="failed 3 times"):
        sync(served, retries=2)

    assert len(proxy.requests) == 3
    failed = Ingest.objects.get(environment=served.mirror)
    assert failed.status == "failed"
    assert "HTTP 503" in failed.error
    assert not Node.objects.filter(environment=served.mirror).exists()


@pytest.mark.slow
def test_a_server_that_keeps_rate_limiting_is_a_recorded_failure(proxied) -> None:
    served, proxy = proxied
    proxy.faults.append(Fault(when=lambda r: True, status=429, times=99))

    with pytest.raises(IngestError, match="kept answering 429"):
        sync(served)

    assert served.sleeps.count(300.0) == 12
    assert Ingest.objects.get(environment=served.mirror).status == "failed"


@pytest.mark.slow
def test_an_environment_id_the_server_does_not_know_is_a_recorded_failure(proxied) -> None:
    served, proxy = proxied
    sync(served)
    before = stored(served.mirror)
    Environment.objects.filter(pk=served.mirror.pk).update(dbt_environment_id=987654321)
    served.mirror.refresh_from_db()

    with pytest.raises(IngestError, match="There is no data available for this input"):
        sync(served)

    failed = Ingest.objects.filter(environment=served.mirror).order_by("-id").first()
    assert failed is not None
    assert failed.status == "failed"
    assert 'environment "mirror"' in failed.error
    assert stored(served.mirror) == before

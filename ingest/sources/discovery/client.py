"""An HTTP client for the dbt Cloud Discovery API (and Lantern's own /graphql).

What dbt documents, and this client keeps to (see README "dbt Cloud"):
- at most 500 requests a minute: a token bucket paces every request;
- HTTP 429: wait `Retry-After` seconds (five minutes without one), then resume;
- network errors, timeouts and 5xx: retried with exponential backoff and jitter;
- 401/403: stop at once, the token is wrong or lacks the Metadata permission;
- environment connections page by `first: 500`, job lists by `first: 100`.

Sleeping and the clock are injectable, so tests can count the waits without waiting.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

QUERIES = Path(__file__).parent / "queries"
PAGE_SIZE = 500  # environment connections
JOB_PAGE_SIZE = 100  # job-level lists
RATE_PER_MINUTE = 450  # under the documented 500, leaving room for clock skew
COOLDOWN = 300.0  # seconds to wait on a 429 without Retry-After (documented: five minutes)
RATE_WAITS = 12  # 429s in a row before giving up (an hour of cooldowns)

Sleep = Callable[[float], None]


class DiscoveryError(Exception):
    """The sync could not get what it needs; the message says what to check."""


class DiscoveryAuthError(DiscoveryError):
    """401/403: retrying cannot help."""


def metadata_url(*, access_url: str, region: str = "") -> str:
    """The Discovery API endpoint for a dbt Cloud access URL, derived as dbt's clients do.

    `https://ab123.us1.dbt.com` -> `https://ab123.metadata.us1.dbt.com/graphql` (cell-based),
    `https://cloud.getdbt.com` -> `https://metadata.cloud.getdbt.com/graphql` (legacy), and
    any other host -> `https://metadata.<host>/graphql`. With only a region (`us1`, `emea`...),
    the legacy regional host.
    """
    if not access_url:
        if not region:
            raise DiscoveryError("give an access URL or a region to derive the Discovery URL")
        legacy = {"us": "cloud.getdbt.com", "emea": "emea.dbt.com", "au": "au.dbt.com"}
        return f"https://metadata.{legacy.get(region, region + '.dbt.com')}/graphql"
    parts = urlsplit(access_url if "://" in access_url else f"https://{access_url}")
    host = (parts.hostname or "").lower()
    if not host:
        raise DiscoveryError(f"not an access URL: {access_url!r}")
    labels = host.split(".")
    if host.startswith("metadata.") or ".metadata." in host:
        return f"https://{host}/graphql"
    # {prefix}.{region}.dbt.com -> {prefix}.metadata.{region}.dbt.com
    if len(labels) == 4 and labels[-2:] == ["dbt", "com"] and labels[1] not in ("emea", "au"):
        return f"https://{labels[0]}.metadata.{'.'.join(labels[1:])}/graphql"
    if region and len(labels) == 3 and labels[-2:] == ["dbt", "com"]:
        return f"https://{labels[0]}.metadata.{region}.dbt.com/graphql"
    return f"https://metadata.{host}/graphql"


class TokenBucket:
    """At most `rate` requests per `per` seconds, bursting to `burst`."""

    def __init__(
        self,
        *,
        rate: float = RATE_PER_MINUTE,
        per: float = 60.0,
        burst: int = 20,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.fill = rate / per
        self.burst = float(burst)
        self.tokens = float(burst)
        self.clock = clock
        self.sleep = sleep
        self.stamp = clock()
        self.lock = threading.Lock()

    def take(self) -> None:
        with self.lock:
            now = self.clock()
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.fill)
            self.stamp = now
            if self.tokens < 1:
                wait = (1 - self.tokens) / self.fill
                self.sleep(wait)
                self.stamp = self.clock()
                self.tokens = 1.0
            self.tokens -= 1


@dataclass
class Stats:
    requests: int = 0
    retries: int = 0
    pages: int = 0
    waits: list[float] = field(default_factory=list)


class DiscoveryClient:
    """POSTs GraphQL to one endpoint with one token, politely."""

    def __init__(
        self,
        *,
        url: str,
        token: str,
        label: str = "",
        timeout: float = 30.0,
        retries: int = 5,
        backoff: float = 1.0,
        page_size: int = PAGE_SIZE,
        sleep: Sleep = time.sleep,
        bucket: TokenBucket | None = None,
        transport: httpx.BaseTransport | None = None,
        stats: Stats | None = None,
    ) -> None:
        self.url = url
        self.label = label or url
        self.retries = retries
        self.backoff = backoff
        self.page_size = min(page_size, PAGE_SIZE)
        self.sleep = sleep
        self.bucket = bucket or TokenBucket(sleep=sleep)
        self.stats = stats or Stats()
        self.http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
                "X-dbt-partner-source": "lantern",
            },
            transport=transport,
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> DiscoveryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wait(self, seconds: float) -> None:
        self.stats.waits.append(seconds)
        self.sleep(seconds)

    def execute(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """One GraphQL request; returns `data`, retrying what retrying can fix."""
        attempt = waits = 0
        while True:
            self.bucket.take()
            self.stats.requests += 1
            try:
                response = self.http.post(self.url, json={"query": query, "variables": variables})
            except httpx.TransportError as e:  # connection refused/reset, timeouts
                problem = f"{type(e).__name__}: {e or 'no answer'}"
            else:
                status = response.status_code
                if status in (401, 403):
                    raise DiscoveryAuthError(
                        f"{self.label}: the Discovery API refused the token (HTTP {status}); "
                        "check that the token is set, not expired, and has the Metadata Only "
                        "(or a read) permission on this account, and the account and "
                        "environment ids"
                    )
                if status == 429:
                    # Rate limited: dbt Cloud cools down for five minutes. Not a failed
                    # attempt: wait and resume (but not forever).
                    waits += 1
                    if waits > RATE_WAITS:
                        raise DiscoveryError(
                            f"{self.label}: the Discovery API kept answering 429 (rate limited) "
                            f"after {RATE_WAITS} waits; is another client using the same token?"
                        )
                    self._wait(_retry_after(response.headers.get("Retry-After")))
                    continue
                if status < 500:
                    return _data(response, self.label)
                problem = f"HTTP {status}"
            attempt += 1
            if attempt > self.retries:
                raise DiscoveryError(
                    f"{self.label}: the Discovery API failed {attempt} times ({problem}); "
                    f"check that {self.url} is reachable"
                )
            self.stats.retries += 1
            delay = self.backoff * 2 ** (attempt - 1)
            self._wait(delay + random.uniform(0, delay / 2))  # noqa: S311 (jitter)

    def pages(
        self,
        query: str,
        variables: dict[str, Any],
        path: tuple[str, ...],
    ) -> Iterator[list[dict[str, Any]]]:
        """The nodes of a connection at `path` in `data`, page by page, to the end.

        Stops on hasNextPage=false, on an empty page, and on a cursor seen before (a server
        that repeats itself must not make us loop).
        """
        after: str | None = None
        seen: set[str] = set()
        while True:
            data = self.execute(query, {**variables, "first": self.page_size, "after": after})
            self.stats.pages += 1
            connection = _dig(data, path, self.label)
            try:
                edges = connection["edges"]
                info = connection["pageInfo"]
                nodes = [edge["node"] for edge in edges]
                more, cursor = bool(info["hasNextPage"]), info.get("endCursor")
            except (KeyError, TypeError) as e:
                raise DiscoveryError(
                    f"{self.label}: malformed page at {'.'.join(path)} (missing {e})"
                ) from e
            if nodes:
                yield nodes
            if not nodes or not more or not cursor or cursor in seen:
                return
            seen.add(cursor)
            after = cursor

    def job_pages(
        self, query: str, variables: dict[str, Any], path: tuple[str, ...]
    ) -> Iterator[list[dict[str, Any]]]:
        """A job-level flat list, 100 rows a page, following each page's last cursor."""
        after: str | None = None
        seen: set[str] = set()
        while True:
            data = self.execute(query, {**variables, "first": JOB_PAGE_SIZE, "after": after})
            self.stats.pages += 1
            rows = _dig(data, path, self.label)
            if not isinstance(rows, list):
                raise DiscoveryError(f"{self.label}: malformed page at {'.'.join(path)}")
            if rows:
                yield rows
            cursor = rows[-1].get("paginationCursor") if rows else None
            if len(rows) < JOB_PAGE_SIZE or not cursor or cursor in seen:
                return
            seen.add(cursor)
            after = cursor


def load_query(name: str) -> str:
    return (QUERIES / f"{name}.graphql").read_text()


def _retry_after(value: str | None) -> float:
    try:
        return max(0.0, float(value)) if value is not None else COOLDOWN
    except ValueError:
        return COOLDOWN


def _data(response: httpx.Response, label: str) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError as e:
        raise DiscoveryError(
            f"{label}: the Discovery API answered HTTP {response.status_code} with invalid JSON"
        ) from e
    if not isinstance(body, dict):
        raise DiscoveryError(f"{label}: the Discovery API answered something that is not JSON")
    errors = body.get("errors")
    if errors:
        messages = "; ".join(str(e.get("message", e)) for e in errors if isinstance(e, dict))
        raise DiscoveryError(f"{label}: the Discovery API answered: {messages or errors}")
    if response.status_code != 200 or not isinstance(body.get("data"), dict):
        raise DiscoveryError(
            f"{label}: the Discovery API answered HTTP {response.status_code} without data"
        )
    data: dict[str, Any] = body["data"]
    return data


def _dig(data: Any, path: tuple[str, ...], label: str) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            raise DiscoveryError(f"{label}: malformed answer, no {'.'.join(path)}")
        data = data[key]
        if data is None:
            raise DiscoveryError(f"{label}: no data at {'.'.join(path)}; check the environment id")
    return data

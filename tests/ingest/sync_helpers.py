"""Shared parts of the sync tests: a Lantern holding the example project, served over HTTP,
and a second environment that syncs from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from catalog.models import ApiToken, Environment
from catalog.tokens import TOKEN_PREFIX, api_token_create, token_digest
from ingest.services import environment_create
from tests.conftest import EXAMPLE, run_ingest

TOKEN_VAR = "LANTERN_SYNC_TEST_TOKEN"


@dataclass
class Served:
    source: Environment
    mirror: Environment
    url: str
    token: str
    sleeps: list[float] = field(default_factory=list)

    def fast(self, **extra: Any) -> dict[str, Any]:
        """Client options for a test: sleeps recorded, never slept; short timeouts."""
        return {"sleep": self.sleeps.append, "timeout": 5.0, "backoff": 0.01, **extra}


def serve(
    live_server: Any,
    monkeypatch: pytest.MonkeyPatch,
    url: str | None = None,
    token: str | None = None,
    project: Path = EXAMPLE,
) -> Served:
    """The example (or `project`) in environment "source" on `live_server`; "mirror" set to
    sync from it (through `url` when given). With `token`, that token (already in the
    environment variable, e.g. for a worker process started before) is the one made valid."""
    run_ingest(str(project), "--environment", "source")
    source = Environment.objects.get(name="source")
    user = User.objects.create_user("sync-bot")
    if token is None:
        token = api_token_create(user=user, name="sync")[1]
        monkeypatch.setenv(TOKEN_VAR, token)
    else:
        ApiToken.objects.create(
            user=user,
            name="sync",
            prefix=token[: len(TOKEN_PREFIX) + 8],
            digest=token_digest(token),
        )
    endpoint = url or f"{live_server.url}/graphql"
    mirror = environment_create(
        name="mirror",
        discovery_url=endpoint,
        dbt_environment_id=source.pk,
        token_env_var=TOKEN_VAR,
    )
    return Served(source=source, mirror=mirror, url=endpoint, token=token)

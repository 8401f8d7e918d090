"""Running Discovery API queries in-process, against the schema (no HTTP: see
test_transport.py for that)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from graphql import ExecutionResult

from lantern.schema import schema

Run = Callable[..., dict[str, Any]]


def execute(query: str, variables: dict[str, Any] | None = None) -> ExecutionResult:
    return schema.execute(query, variables=variables)


@pytest.fixture
def gql() -> Run:
    """Run a query that must succeed; its data."""

    def run(query: str, variables: dict[str, Any] | None = None, **more: Any) -> dict[str, Any]:
        result = execute(query, {**(variables or {}), **more})
        assert not result.errors, [error.message for error in result.errors]
        assert result.data is not None
        return result.data

    return run


def walk(
    run: Run, query: str, path: tuple[str, ...], variables: dict[str, Any], first: int
) -> list[list[dict[str, Any]]]:
    """Every page of a connection (`path` from data to it), following endCursor."""
    pages = []
    after = None
    while True:
        data = run(query, {**variables, "first": first, "after": after})
        for key in path:
            data = data[key]
        pages.append(data["edges"])
        assert data["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not data["pageInfo"]["hasNextPage"]:
            return pages
        after = data["pageInfo"]["endCursor"]
        assert len(pages) < 1000

"""The example queries of dbt's Discovery API documentation, run against Lantern.

tests/fixtures/discovery/docs/ holds every example query of the docs pages (see its README), each
with the outcome the reference schema gives it. Each one is checked twice:

- against the reference SDL with graphql-core, so the known-bad examples (shared
  discovery-api.md §9) are exactly the ones the reference itself rejects;
- against Lantern's /graphql endpoint, over HTTP with a Bearer token from `createtoken`, on the
  example project (examples/artifacts): the valid ones answer without errors and with the values
  this module reads straight from the artifact JSON; the invalid ones get a 400.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import GraphQLError, build_schema, parse, validate

FIXTURES = Path(__file__).parent.parent.parent / "fixtures" / "discovery"
DOCS = FIXTURES / "docs"
REFERENCE = build_schema((FIXTURES / "reference-schema.graphql").read_text())
QUERIES = {path.stem: path.read_text() for path in sorted(DOCS.glob("*.graphql"))}


def expected_error(text: str) -> str | None:
    """The message the header promises for a known-bad example, or None for `# Expect: ok`."""
    match = re.search(r'^# Expect: (ok|invalid "(.*)")$', text, re.MULTILINE)
    assert match, "every docs query says what to expect"
    return match.group(2).replace('\\"', '"') if match.group(2) else None


def reference_errors(text: str) -> list[str]:
    try:
        return [error.message for error in validate(REFERENCE, parse(text))]
    except GraphQLError as error:  # a syntax error
        return [error.message]


def test_it_has_the_examples_of_every_docs_page() -> None:
    sources = {
        m.group(1) for text in QUERIES.values() for m in re.finditer(r"dbt-apis/(\S+?),", text)
    }
    assert len(QUERIES) >= 60
    for page in (
        "discovery-querying.md",
        "discovery-use-cases-and-examples.md",
        "project-state.md",
        "schema-discovery-environment.mdx",
        "schema-discovery-environment-applied.mdx",
        "schema-discovery-environment-definition.mdx",
        "schema-discovery-job.mdx",
    ):
        assert page in sources
    assert sum("applied-" in s for s in sources) >= 12
    assert sum("job-" in s for s in sources) >= 10


@pytest.mark.parametrize("name", QUERIES)
def test_it_validates_like_the_reference_schema(name: str) -> None:
    text = QUERIES[name]
    expected = expected_error(text)
    errors = reference_errors(text)
    if expected is None:
        assert errors == []
    else:
        assert any(expected in error for error in errors), errors


def test_it_keeps_a_fixed_copy_of_each_known_bad_example() -> None:
    bad = {name for name, text in QUERIES.items() if expected_error(text)}
    assert bad == {
        "querying-fragments",  # fields conflict (executionInfo of different types)
        "environment-example",  # a missing brace...
        "environment-example-closed",  # ...and an impossible fragment spread
        "applied-lineage",  # JSON where GraphQL is expected
        "applied-packages",  # a string for an enum
        "applied-seeds",  # unused variables
        "project-state-compare",  # Int! for a BigInt! id
    }
    for name in bad - {"environment-example-closed"}:
        assert f"{name}-fixed" in QUERIES

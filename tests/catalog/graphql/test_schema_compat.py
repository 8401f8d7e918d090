"""Lantern's schema against the Discovery API's: type for type, field for field.

The reference is tests/fixtures/discovery/reference-schema.graphql. Lantern's side is its
schema as a client sees it: rebuilt from its introspection (graphql-core reports a scalar of
another Python class, graphene's, as a "changed kind" even when it is the same scalar).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import (
    BreakingChangeType,
    DangerousChangeType,
    GraphQLSchema,
    build_client_schema,
    build_schema,
    find_breaking_changes,
    find_dangerous_changes,
    is_enum_type,
    is_input_object_type,
    is_interface_type,
    is_object_type,
)

from catalog.graphql import coverage
from catalog.graphql.sdl import SDL, printed
from lantern.schema import schema

REFERENCE_PATH = Path(__file__).parents[2] / "fixtures" / "discovery" / "reference-schema.graphql"
REFERENCE = build_schema(REFERENCE_PATH.read_text())
OURS = build_client_schema(schema.introspect())


def coordinate(description: str) -> str:
    """The type or Type.field a change names: "Query.account was removed." -> Query.account."""
    return description.split(" ", 1)[0]


def served(name: str) -> bool:
    return not name.startswith("__") and name not in coverage.LEFT_OUT


def test_it_breaks_nothing_a_client_of_the_discovery_api_relies_on() -> None:
    changes = find_breaking_changes(REFERENCE, OURS)
    unexpected = [
        f"{change.type.name}: {change.description}"
        for change in changes
        if coordinate(change.description) not in coverage.LEFT_OUT
    ]
    assert unexpected == []
    # What is left out is left out: each entry names something of the reference, now gone.
    gone = {coordinate(change.description) for change in changes}
    assert gone == set(coverage.LEFT_OUT)
    assert all(
        change.type in (BreakingChangeType.TYPE_REMOVED, BreakingChangeType.FIELD_REMOVED)
        for change in changes
    )


def test_it_changes_no_argument_default_or_enum_value() -> None:
    dangerous = [
        f"{change.type.name}: {change.description}"
        for change in find_dangerous_changes(REFERENCE, OURS)
        if change.type is not DangerousChangeType.VALUE_ADDED_TO_ENUM
    ]
    assert dangerous == []


def test_it_adds_nothing_but_the_listed_extensions() -> None:
    """Read the other way (as if Lantern's were the old schema), a breaking change is
    something Lantern has that the reference does not: only coverage.EXTENSIONS may."""
    extras = {
        coordinate(change.description): change.type
        for change in find_breaking_changes(OURS, REFERENCE)
    }
    assert extras == dict.fromkeys(coverage.EXTENSIONS, BreakingChangeType.FIELD_REMOVED)


def shape(schema: GraphQLSchema, name: str) -> object:
    """Everything of a type a client can see but descriptions."""
    kind = schema.get_type(name)
    if is_enum_type(kind):
        return sorted(kind.values)
    if is_input_object_type(kind):
        return {n: str(f.type) for n, f in kind.fields.items()}
    if is_object_type(kind) or is_interface_type(kind):
        return {
            "interfaces": sorted(i.name for i in kind.interfaces),
            "fields": {
                n: (
                    str(f.type),
                    {a: (str(arg.type), repr(arg.default_value)) for a, arg in f.args.items()},
                )
                for n, f in kind.fields.items()
            },
        }
    return type(kind).__name__


@pytest.mark.parametrize("name", sorted(n for n in REFERENCE.type_map if served(n)))
def test_it_serves_the_type_as_the_reference_defines_it(name: str) -> None:
    ours = shape(OURS, name)
    reference = shape(REFERENCE, name)
    if isinstance(ours, dict) and "fields" in ours:
        for extension in coverage.EXTENSIONS:
            type_name, field = extension.split(".")
            if type_name == name:
                del ours["fields"][field]
        for left_out in coverage.LEFT_OUT:
            type_name, _, field = left_out.partition(".")
            if type_name == name and field:
                del reference["fields"][field]
    assert ours == reference


def test_it_serves_no_type_the_reference_lacks() -> None:
    extra = {n for n in OURS.type_map if not n.startswith("__")} - set(REFERENCE.type_map)
    assert extra == set()


def test_it_lists_a_reason_for_everything_left_out() -> None:
    for name, reason in {**coverage.LEFT_OUT, **coverage.EXTENSIONS}.items():
        assert len(reason) > 10, name
    # Left out on purpose: the beta roots but column (column-level lineage), and search.
    for root in ("account", "performance", "recommendations"):
        assert f"Query.{root}" in coverage.LEFT_OUT
    assert "Query.column" not in coverage.LEFT_OUT
    assert "AppliedState.searchResults" in coverage.LEFT_OUT


@pytest.mark.parametrize(
    ("enum", "values"),
    [
        ("RunStatus", ["error", "skipped", "success"]),
        ("FreshnessStatus", ["Error", "Pass", "Skipped", "Unknown", "Warn"]),
        ("AccessLevel", ["private", "protected", "public"]),
        (
            "ResourceNodeType",
            [
                "Exposure",
                "Macro",
                "Metric",
                "Model",
                "SavedQuery",
                "Seed",
                "SemanticModel",
                "Snapshot",
                "Source",
                "Test",
            ],
        ),
        ("TestType", ["GENERIC_DATA_TEST", "SINGULAR_DATA_TEST", "UNIT_TEST"]),
        ("TestStatus", ["error", "fail", "pass", "skipped", "warn"]),
        ("ReleaseVersion", ["latest", "none", "old", "prerelease"]),
        ("TimePeriod", ["day", "hour", "minute"]),
    ],
)
def test_it_spells_enum_values_as_the_api_does(enum: str, values: list[str]) -> None:
    assert sorted(OURS.get_type(enum).values) == values


def test_every_type_field_and_argument_has_a_description() -> None:
    missing = []
    for name, kind in schema.graphql_schema.type_map.items():
        if name.startswith("__") or name in ("String", "Int", "Float", "Boolean", "ID"):
            continue
        if not kind.description:
            missing.append(name)
        for field_name, field in getattr(kind, "fields", {}).items():
            if not field.description:
                missing.append(f"{name}.{field_name}")
            for arg_name, arg in getattr(field, "args", {}).items():
                if not arg.description:
                    missing.append(f"{name}.{field_name}({arg_name})")
    assert missing == []


def test_the_committed_sdl_is_current() -> None:
    assert SDL.read_text() == printed(), (
        "catalog/graphql/schema.graphql is stale: run .venv/bin/python -m catalog.graphql.sdl"
    )

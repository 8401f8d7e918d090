"""Queries that ask for every field of a type, and of the types below it, to a depth.

Fields inside a fragment get an alias named after the type, so that fields of the same name
and different types in sibling fragments do not conflict (as dbt-mcp aliases executionInfo).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLSchema,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
)

# Values for the required arguments of fields, by field name.
ArgumentValues = Callable[[str, str, GraphQLField], str]


def default_arguments(type_name: str, name: str, field: GraphQLField) -> str:
    values = {
        "ancestors": "(types: [Exposure, Macro, Model, Seed, Snapshot, Source])",
        "owners": "(resource: exposure)",
        "packages": "(resource: model)",
    }
    if name in values and field.args:
        return values[name]
    return ""


def every_field(
    schema: GraphQLSchema,
    type_name: str,
    depth: int,
    arguments: ArgumentValues = default_arguments,
    *,
    skip: frozenset[str] = frozenset(),
) -> str:
    """A selection set of every field of `type_name` down to `depth` levels of objects."""
    return _selection(schema, schema.get_type(type_name), depth, arguments, skip, "")


def _selection(
    schema: GraphQLSchema,
    named: Any,
    depth: int,
    arguments: ArgumentValues,
    skip: frozenset[str],
    prefix: str,
) -> str:
    if is_abstract_type(named):
        parts = ["__typename"]
        for possible in schema.get_possible_types(named):
            inner = _fields(schema, possible, depth, arguments, skip, f"{possible.name}_")
            parts.append(f"... on {possible.name} {{ {inner} }}")
        return " ".join(parts)
    return _fields(schema, named, depth, arguments, skip, prefix)


def _fields(
    schema: GraphQLSchema,
    named: Any,
    depth: int,
    arguments: ArgumentValues,
    skip: frozenset[str],
    prefix: str,
) -> str:
    parts = ["__typename"]
    for name, field in named.fields.items():
        if f"{named.name}.{name}" in skip or name in skip:
            continue
        required = [a for a in field.args.values() if a.type.__class__.__name__ == "GraphQLNonNull"]
        args = arguments(named.name, name, field)
        if required and not args:
            continue
        alias = f"{prefix}{name}: " if prefix else ""
        inner = get_named_type(field.type)
        if is_leaf_type(inner):
            parts.append(f"{alias}{name}{args}")
        elif depth > 0:
            sub = _selection(schema, inner, depth - 1, arguments, skip, prefix)
            parts.append(f"{alias}{name}{args} {{ {sub} }}")
    return " ".join(parts)

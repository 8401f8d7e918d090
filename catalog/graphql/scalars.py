"""The Discovery API's custom scalars: BigInt, DateTime, JSONObject and AnyScalar."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import graphene
from graphql import StringValueNode, ValueNode
from graphql.language import ast


class BigInt(graphene.Scalar):
    """An integer that may not fit in 32 bits (ids, byte and row counts), as a JSON number."""

    @staticmethod
    def serialize(value: Any) -> int:
        return int(value)

    @staticmethod
    def parse_value(value: Any) -> int:
        # Ids arrive as numbers; some clients send them as strings of digits.
        if isinstance(value, bool):
            raise ValueError(f"BigInt cannot represent {value!r}")
        return int(value)

    @staticmethod
    def parse_literal(node: ValueNode, _variables: Any = None) -> int:
        if isinstance(node, ast.IntValueNode | StringValueNode):
            return int(node.value)
        raise ValueError("BigInt needs an integer")


class DateTime(graphene.Scalar):
    """A date-time at UTC in ISO 8601, such as 2025-12-16T10:30:00.123Z."""

    @staticmethod
    def serialize(value: datetime) -> str:
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(timespec="milliseconds") + "Z"

    @staticmethod
    def parse_value(value: Any) -> datetime:
        parsed = datetime.fromisoformat(str(value))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    @classmethod
    def parse_literal(cls, node: ValueNode, _variables: Any = None) -> datetime:
        if isinstance(node, StringValueNode):
            return cls.parse_value(node.value)
        raise ValueError("DateTime needs an ISO 8601 string")


def _literal(node: ValueNode) -> Any:
    """The Python value of a literal in a query: objects, lists, strings, numbers, ..."""
    if isinstance(node, ast.ObjectValueNode):
        return {field.name.value: _literal(field.value) for field in node.fields}
    if isinstance(node, ast.ListValueNode):
        return [_literal(item) for item in node.values]
    if isinstance(node, ast.IntValueNode):
        return int(node.value)
    if isinstance(node, ast.FloatValueNode):
        return float(node.value)
    if isinstance(node, ast.NullValueNode):
        return None
    return getattr(node, "value", None)


class JSONObject(graphene.Scalar):
    """A JSON object (meta, config, kwargs, testStatuses, resourceCounts, ...), as it is."""

    @staticmethod
    def serialize(value: Any) -> Any:
        return value

    @staticmethod
    def parse_value(value: Any) -> Any:
        return value

    @staticmethod
    def parse_literal(node: ValueNode, _variables: Any = None) -> Any:
        return _literal(node)


class AnyScalar(graphene.Scalar):
    """Any JSON scalar: a string, a number or a boolean (the value of a catalog stat)."""

    @staticmethod
    def serialize(value: Any) -> Any:
        return value

    @staticmethod
    def parse_value(value: Any) -> Any:
        return value

    @staticmethod
    def parse_literal(node: ValueNode, _variables: Any = None) -> Any:
        return _literal(node)

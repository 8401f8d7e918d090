"""Pages of lists: environment connections (edges, pageInfo, totalCount) and job-level lists.

Environment connections page forward only (`first`, `after`), as the Discovery API does:

- `first` omitted or null gives a page of 500, the most the API serves; a larger `first` is
  clamped to 500 (not an error: `hasNextPage` and `endCursor` still walk the rest); a negative
  `first` is an error.
- The order is stable: by uniqueId (then Lantern's row id, since two projects of an
  environment may hold the same unique_id), in byte order on both databases; or by the
  `sort` of `applied.models`, with uniqueId breaking ties and nulls last either way.
- Cursors are opaque: base64 of "cursor:" and a JSON array of the row's sort keys. The next
  page is a keyset query (`WHERE key > cursor`), so a deep page costs what the first does.
  `after: ""` is the start (dbt-mcp sends it); an `after` past the end gives an empty page
  with `hasNextPage: false` and null cursors.
- `totalCount` counts every row matching the filter, and only when it is asked for.

Job-level lists are flat: each row has a `paginationCursor`, base64 of "cursor:" and its
unique_id; `first` is capped at 100; with neither `first` nor `after`, the whole list comes
back (what dbt Cloud does today).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Collate
from graphql import GraphQLError

from catalog.models import Node

MAX_FIRST = 500
MAX_JOB_FIRST = 100


def page_size(first: int | None, maximum: int = MAX_FIRST) -> int:
    if first is None:
        return maximum
    if first < 0:
        raise GraphQLError(f"first must be between 0 and {maximum}, not {first}")
    return min(first, maximum)


def encode(keys: Sequence[Any]) -> str:
    return base64.b64encode(b"cursor:" + json.dumps(list(keys)).encode()).decode()


def decode(cursor: str) -> list[Any]:
    try:
        raw = base64.b64decode(cursor.encode(), validate=True)
        if not raw.startswith(b"cursor:"):
            raise ValueError
        keys = json.loads(raw[len(b"cursor:") :])
        if not isinstance(keys, list):
            raise ValueError
    except (ValueError, binascii.Error, UnicodeError):
        raise GraphQLError(f"after: {cursor!r} is not a cursor of this list") from None
    return keys


def uid_key() -> Any:
    """unique_id compared byte by byte: PostgreSQL would otherwise use the database's locale,
    and the order (so the pages) would differ between the two backends."""
    if connection.vendor == "postgresql":
        return Collate(F("unique_id"), "C")
    return F("unique_id")


class Sort:
    """An order of rows: an optional nullable sort key, then unique_id and id."""

    def __init__(self, name: str = "uniqueId", expression: Any = None, *, desc: bool = False):
        self.name = name
        self.expression = expression
        self.desc = desc

    def annotate(self, rows: QuerySet[Node]) -> QuerySet[Node]:
        keys: dict[str, Any] = {"_uid": uid_key()}
        if self.expression is not None:
            keys["_sort"] = self.expression
        return rows.annotate(**keys)

    def directions(self) -> list[tuple[str, bool]]:
        """(key, descending) in order: a sort key orders first, then unique_id and id, which
        follow the direction only when uniqueId is the sort."""
        if self.expression is None:
            return [("_uid", self.desc), ("id", self.desc)]
        return [("_sort", self.desc), ("_uid", False), ("id", False)]

    def order(self) -> list[Any]:
        return [
            F(name).desc(nulls_last=True) if desc else F(name).asc(nulls_last=True)
            for name, desc in self.directions()
        ]

    def keys(self, node: Node) -> list[Any]:
        uid = [node.unique_id, node.pk]
        if self.expression is None:
            return [self.name, *uid]
        value = getattr(node, "_sort", None)
        if isinstance(value, datetime):
            value = value.isoformat()
        return [self.name, value, *uid]

    def after(self, cursor: str) -> Q:
        """The rows after `cursor` in this order (nulls last)."""
        keys = decode(cursor)
        directions = self.directions()
        if len(keys) != len(directions) + 1 or keys[0] != self.name:
            raise GraphQLError(f"after: {cursor!r} is not a cursor of this list and sort")
        values = keys[1:]
        if self.expression is not None and isinstance(values[0], str):
            try:
                values[0] = datetime.fromisoformat(values[0])
            except ValueError:
                raise GraphQLError(f"after: {cursor!r} is not a cursor of this list") from None
        condition = Q(pk__in=[])
        equal = Q()
        for (name, desc), value in zip(directions, values, strict=True):
            if value is None:
                # Nothing sorts after a null but other nulls (nulls last).
                equal &= Q(**{f"{name}__isnull": True})
                continue
            later = Q(**{f"{name}__{'lt' if desc else 'gt'}": value})
            if name == "_sort":
                later |= Q(_sort__isnull=True)
            condition |= equal & later
            equal &= Q(**{name: value})
        return condition


class Connection:
    """One page of a connection: `edges`, `page_info` and (when asked) `total_count`."""

    def __init__(
        self,
        rows: QuerySet[Node],
        *,
        first: int | None,
        after: str | None,
        make: Callable[[list[Node]], list[Any]],
        sort: Sort | None = None,
    ) -> None:
        sort = sort or Sort()
        self._count = rows
        size = page_size(first)
        ordered = sort.annotate(rows).order_by(*sort.order())
        if after:
            ordered = ordered.filter(sort.after(after))
        found = list(ordered[: size + 1]) if size else []
        self.has_next = len(found) > size if size else ordered.exists()
        found = found[:size]
        self.edges = [
            {"cursor": encode(sort.keys(node)), "node": item}
            for node, item in zip(found, make(found), strict=True)
        ]
        self.page_info = {
            "start_cursor": self.edges[0]["cursor"] if self.edges else None,
            "end_cursor": self.edges[-1]["cursor"] if self.edges else None,
            "has_next_page": self.has_next,
            "has_previous_page": bool(after),
        }

    @cached_property
    def total_count(self) -> int:
        return self._count.count()


def job_page(
    rows: list[Any], *, first: int | None, after: str | None, key: Callable[[Any], str]
) -> list[Any]:
    """A page of a job-level list, already in unique_id order (key: a row's unique_id)."""
    if after:
        raw = decode_job(after)
        rows = [row for row in rows if key(row) > raw]
    if first is None and not after:
        return rows
    return rows[: page_size(first, MAX_JOB_FIRST)]


def job_cursor(unique_id: str) -> str:
    return base64.b64encode(f"cursor:{unique_id}".encode()).decode()


def decode_job(cursor: str) -> str:
    try:
        raw = base64.b64decode(cursor.encode(), validate=True).decode()
    except (ValueError, binascii.Error, UnicodeError):
        raw = ""
    if not raw.startswith("cursor:"):
        raise GraphQLError(f"after: {cursor!r} is not a paginationCursor")
    return raw[len("cursor:") :]

"""What changed between two snapshots of an environment.

Every load records, for each node it added, modified or removed, a digest of the node before
and after (ingest.load.node_digest: checksum and code, description, access, contract,
versions, deprecation, group, owner, materialization, columns with their types). Between two
loads A and B, a node's net change runs from the `before` of its first change after A to the
`after` of its last change up to B: added then removed is no change at all.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from catalog.models import Environment, Ingest, NodeChange

# Fields of a digest shown as "field: before → after" when they differ.
FIELDS = (
    ("access", "access"),
    ("contract_enforced", "contract enforced"),
    ("version", "version"),
    ("latest_version", "latest version"),
    ("deprecation_date", "deprecation date"),
    ("group", "group"),
    ("owner", "owner"),
    ("materialized", "materialization"),
)


def loads(*, environment: Environment) -> QuerySet[Ingest]:
    """Successful loads that changed nodes, newest first (the snapshots one can compare)."""
    return (
        Ingest.objects.filter(environment=environment, status=Ingest.Status.SUCCEEDED)
        .filter(
            Q(counts__nodes_added__gt=0)
            | Q(counts__nodes_modified__gt=0)
            | Q(counts__nodes_removed__gt=0)
        )
        .order_by("-started_at", "-id")
    )


@dataclass
class ColumnChange:
    name: str
    change: str  # added, removed, type, description
    before: str = ""
    after: str = ""


@dataclass
class Change:
    unique_id: str
    resource_type: str
    change: str  # added, removed, modified
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)
    columns: list[ColumnChange] = field(default_factory=list)
    code_changed: bool = False
    description_changed: bool = False

    @property
    def name(self) -> str:
        return self.unique_id.split(".", 2)[-1]

    def code_diff(self) -> str:
        """A unified diff of the node's code, before and after."""
        before = (self.before or {}).get("raw_code") or ""
        after = (self.after or {}).get("raw_code") or ""
        return "".join(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                after.splitlines(keepends=True),
                fromfile="before",
                tofile="after",
            )
        )


def _compare(change: Change) -> None:
    before, after = change.before or {}, change.after or {}
    change.code_changed = before.get("checksum") != after.get("checksum")
    change.description_changed = before.get("description") != after.get("description")
    change.fields = [
        (label, before.get(key), after.get(key))
        for key, label in FIELDS
        if before.get(key) != after.get(key)
    ]
    old, new = before.get("columns") or {}, after.get("columns") or {}
    for name in sorted(set(old) | set(new)):
        if name not in old:
            change.columns.append(ColumnChange(name, "added", after=_type(new[name])))
        elif name not in new:
            change.columns.append(ColumnChange(name, "removed", before=_type(old[name])))
        else:
            if _type(old[name]) != _type(new[name]):
                change.columns.append(
                    ColumnChange(name, "type", before=_type(old[name]), after=_type(new[name]))
                )
            if old[name][2:3] != new[name][2:3]:
                change.columns.append(ColumnChange(name, "description"))


def _type(column: list[str]) -> str:
    """A column's type as a digest has it: the declared type, else the warehouse's."""
    declared, warehouse = (column + ["", ""])[:2]
    return declared or warehouse


def diff(*, environment: Environment, since: Ingest | None, until: Ingest) -> list[Change]:
    """The net changes of the loads after `since` (exclusive; None: only `until`) up to
    `until` (inclusive)."""
    ingests = Ingest.objects.filter(environment=environment, status=Ingest.Status.SUCCEEDED)
    if since is None:
        ingests = ingests.filter(pk=until.pk)
    else:
        ingests = ingests.filter(
            Q(started_at__gt=since.started_at) | Q(started_at=since.started_at, pk__gt=since.pk)
        ).filter(
            Q(started_at__lt=until.started_at) | Q(started_at=until.started_at, pk__lte=until.pk)
        )
    first: dict[str, NodeChange] = {}
    last: dict[str, NodeChange] = {}
    for row in NodeChange.objects.filter(ingest__in=ingests).order_by(
        "ingest__started_at", "ingest_id", "id"
    ):
        first.setdefault(row.unique_id, row)
        last[row.unique_id] = row
    changes = []
    for uid, start in first.items():
        end = last[uid]
        before, after = start.before, end.after
        if before is None and after is None:
            continue  # added and removed again
        if before is None:
            kind = "added"
        elif after is None:
            kind = "removed"
        elif before == after:
            continue  # changed and changed back
        else:
            kind = "modified"
        change = Change(
            unique_id=uid,
            resource_type=end.resource_type or start.resource_type,
            change=kind,
            before=before,
            after=after,
        )
        if kind == "modified":
            _compare(change)
        changes.append(change)
    order = {"added": 0, "removed": 1, "modified": 2}
    changes.sort(key=lambda c: (order[c.change], c.resource_type, c.unique_id))
    return changes

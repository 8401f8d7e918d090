"""Governance reads: owners, groups, access, contracts, docs, tests, versions, deprecations.

Every report is a `Table` built from one pass over the environment's models (a few queries,
whatever the project's size) and cached until the next load.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from catalog.models import Edge, Environment, Node
from catalog.selectors import USER_TYPES, cached, tested_ids, version_state
from catalog.tables import Col, Table

SOON = timedelta(days=30)
Builder = Callable[[Environment, list["Model"]], Table]
MODEL_FIELDS = (
    "unique_id",
    "name",
    "package_name",
    "folder",
    "version",
    "latest_version",
    "access",
    "contract_enforced",
    "description",
    "group_name",
    "owner_name",
    "owner_email",
    "deprecation_date",
    "materialized",
)


@dataclass
class Model:
    unique_id: str
    name: str
    package_name: str
    folder: str
    version: str
    latest_version: str
    access: str
    contract_enforced: bool
    documented: bool
    group: str
    owner: str
    deprecation_date: datetime | None
    materialized: str
    tested: bool

    def link(self) -> dict[str, str]:
        label = f"{self.name} v{self.version}" if self.version else self.name
        return {"unique_id": self.unique_id, "name": label}


def _models(environment: Environment) -> list[Model]:
    tested = tested_ids(environment=environment)
    rows = (
        Node.objects.filter(environment=environment, resource_type="model")
        .values(*MODEL_FIELDS)
        .order_by("name", "unique_id")
    )
    seen: set[str] = set()
    models = []
    for r in rows:
        if r["unique_id"] in seen:  # held by two projects of a mesh: count it once
            continue
        seen.add(r["unique_id"])
        models.append(
            Model(
                unique_id=r["unique_id"],
                name=r["name"],
                package_name=r["package_name"],
                folder=r["folder"],
                version=r["version"],
                latest_version=r["latest_version"],
                access=r["access"] or "protected",  # dbt's default access
                contract_enforced=r["contract_enforced"],
                documented=bool(r["description"].strip()),
                group=r["group_name"],
                owner=r["owner_email"] or r["owner_name"],
                deprecation_date=r["deprecation_date"],
                materialized=r["materialized"],
                tested=r["unique_id"] in tested,
            )
        )
    return models


def _users(environment: Environment, unique_ids: list[str]) -> dict[str, list[dict[str, str]]]:
    """Downstream users (not tests) of each of `unique_ids`."""
    users: dict[str, dict[str, dict[str, str]]] = {}
    if not unique_ids:
        return {}
    for parent, child, name, resource_type in (
        Edge.objects.filter(
            environment=environment, kind=Edge.Kind.NODE, parent_unique_id__in=unique_ids
        )
        .filter(child__resource_type__in=USER_TYPES)
        .values_list("parent_unique_id", "child_unique_id", "child__name", "child__resource_type")
    ):
        users.setdefault(parent, {})[child] = {
            "unique_id": child,
            "name": name,
            "type": resource_type,
        }
    return {k: sorted(v.values(), key=lambda u: u["unique_id"]) for k, v in users.items()}


def _percent(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def _summary_row(key: str, models: list[Model]) -> dict[str, Any]:
    n = len(models)
    return {
        key: "",
        "models": n,
        "public": sum(m.access == "public" for m in models),
        "protected": sum(m.access == "protected" for m in models),
        "private": sum(m.access == "private" for m in models),
        "contracted": _percent(sum(m.contract_enforced for m in models), n),
        "documented": _percent(sum(m.documented for m in models), n),
        "tested": _percent(sum(m.tested for m in models), n),
    }


SUMMARY_COLUMNS = (
    Col("models", "Models", "number"),
    Col("public", "Public", "number"),
    Col("protected", "Protected", "number"),
    Col("private", "Private", "number"),
    Col("contracted", "Contract enforced", "percent"),
    Col("documented", "Documented", "percent"),
    Col("tested", "Tested", "percent"),
)
MODEL_COLUMNS = (
    Col("model", "Model", "node"),
    Col("owner", "Owner"),
    Col("group", "Group"),
    Col("access", "Access"),
    Col("folder", "Folder"),
)


def _by(models: list[Model], attribute: str, none_label: str) -> list[dict[str, Any]]:
    groups: dict[str, list[Model]] = {}
    for m in models:
        groups.setdefault(getattr(m, attribute) or none_label, []).append(m)
    rows = []
    for value, members in groups.items():
        row = _summary_row(attribute, members)
        row[attribute] = value
        rows.append(row)
    return rows


def _model_row(m: Model, **extra: Any) -> dict[str, Any]:
    return {
        "model": m.link(),
        "owner": m.owner,
        "group": m.group,
        "access": m.access,
        "folder": m.folder,
        **extra,
    }


VIEWS = (
    ("owners", "By owner"),
    ("groups", "By group"),
    ("public-without-contract", "Public without contract"),
    ("deprecations", "Deprecations"),
    ("versions", "Versions"),
    ("undocumented", "Undocumented"),
    ("untested", "Untested"),
)


def governance_report(*, environment: Environment, view: str) -> Table:
    """One governance table (a VIEWS name); unknown names give the owners table."""
    names = dict(VIEWS)
    if view not in names:
        view = "owners"

    def compute() -> Table:
        return _BUILDERS[view](environment, _models_cached(environment))

    return cached(environment, f"governance:{view}", compute)


def _models_cached(environment: Environment) -> list[Model]:
    return cached(environment, "governance:models", lambda: _models(environment))


def governance_summary(*, environment: Environment) -> dict[str, int]:
    """How many rows each governance table has (for the tabs), and overall shares."""

    def compute() -> dict[str, int]:
        return {
            name: len(governance_report(environment=environment, view=name).rows)
            for name, _ in VIEWS
        }

    return cached(environment, "governance:summary", compute)


def _owners(environment: Environment, models: list[Model]) -> Table:
    return Table(
        name="owners",
        title="Models by owner",
        columns=(Col("owner", "Owner"), *SUMMARY_COLUMNS),
        rows=_by(models, "owner", "(no owner)"),
        default_sort="-models",
        note="Owner: meta.owner of the model, else the owner of its group.",
    )


def _groups(environment: Environment, models: list[Model]) -> Table:
    owners = dict(
        Node.objects.filter(environment=environment, resource_type="group").values_list(
            "name", "owner_email"
        )
    )
    rows = _by(models, "group", "(no group)")
    for row in rows:
        row["group_owner"] = owners.get(row["group"], "")
    return Table(
        name="groups",
        title="Models by group",
        columns=(Col("group", "Group"), Col("group_owner", "Group owner"), *SUMMARY_COLUMNS),
        rows=rows,
        default_sort="-models",
    )


def _public_without_contract(environment: Environment, models: list[Model]) -> Table:
    chosen = [m for m in models if m.access == "public" and not m.contract_enforced]
    users = _users(environment, [m.unique_id for m in chosen])
    return Table(
        name="public-without-contract",
        title="Public models without an enforced contract",
        columns=(*MODEL_COLUMNS, Col("users", "Used by", "nodes")),
        rows=[_model_row(m, users=users.get(m.unique_id, [])) for m in chosen],
        default_sort="model",
        note="Other projects and teams may build on public models: a contract keeps their "
        "shape from changing under them.",
    )


def _deprecations(environment: Environment, models: list[Model]) -> Table:
    now = timezone.now()
    chosen = [
        m for m in models if m.deprecation_date is not None and m.deprecation_date <= now + SOON
    ]
    users = _users(environment, [m.unique_id for m in chosen])
    rows = []
    for m in chosen:
        assert m.deprecation_date is not None
        rows.append(
            _model_row(
                m,
                deprecation_date=m.deprecation_date,
                state="past" if m.deprecation_date <= now else "within 30 days",
                users=users.get(m.unique_id, []),
            )
        )
    return Table(
        name="deprecations",
        title="Models past or within 30 days of their deprecation date",
        columns=(
            *MODEL_COLUMNS,
            Col("deprecation_date", "Deprecation date", "date"),
            Col("state", "State"),
            Col("users", "Still used by", "nodes"),
        ),
        rows=rows,
        default_sort="deprecation_date",
    )


def _versions(environment: Environment, models: list[Model]) -> Table:
    versioned = [m for m in models if m.version]
    users = _users(environment, [m.unique_id for m in versioned])
    rows = []
    for m in versioned:
        node_like = Node(version=m.version, latest_version=m.latest_version)
        rows.append(
            _model_row(
                m,
                version=m.version,
                latest_version=m.latest_version,
                state=version_state(node_like),
                deprecation_date=m.deprecation_date,
                users=users.get(m.unique_id, []),
            )
        )
    return Table(
        name="versions",
        title="Versioned models and who references each version",
        columns=(
            *MODEL_COLUMNS,
            Col("version", "Version"),
            Col("latest_version", "Latest"),
            Col("state", "State"),
            Col("deprecation_date", "Deprecation date", "date"),
            Col("users", "Referenced by", "nodes"),
        ),
        rows=rows,
        default_sort="model",
        note="Old versions still referenced are migrations someone has yet to make.",
    )


def _models_lacking(name: str, title: str, lacks: Callable[[Model], bool]) -> Builder:
    def build(environment: Environment, models: list[Model]) -> Table:
        return Table(
            name=name,
            title=title,
            columns=(*MODEL_COLUMNS, Col("materialized", "Materialized")),
            rows=[_model_row(m, materialized=m.materialized) for m in models if lacks(m)],
            default_sort="model",
        )

    return build


_undocumented = _models_lacking(
    "undocumented", "Models without a description", lambda m: not m.documented
)
_untested = _models_lacking(
    "untested", "Models without any data or unit test", lambda m: not m.tested
)


_BUILDERS = {
    "owners": _owners,
    "groups": _groups,
    "public-without-contract": _public_without_contract,
    "deprecations": _deprecations,
    "versions": _versions,
    "undocumented": _undocumented,
    "untested": _untested,
}

"""The Discovery API's enums. Values are spelled as the API spells them: the case varies."""

from __future__ import annotations

import graphene


class AccessLevel(graphene.Enum):
    """Who may ref a model: its group only, its project only, or anyone."""

    private = "private"
    protected = "protected"
    public = "public"


class AncestorNodeType(graphene.Enum):
    """The kinds of node `ancestors(types:)` can return."""

    Exposure = "Exposure"
    Macro = "Macro"
    Model = "Model"
    Seed = "Seed"
    Snapshot = "Snapshot"
    Source = "Source"


class AppliedModelSortField(graphene.Enum):
    """What applied models can be sorted by. Lantern has no query usage: queryUsageCount sorts
    by uniqueId."""

    executeCompletedAt = "executeCompletedAt"
    queryUsageCount = "queryUsageCount"
    rowCount = "rowCount"
    uniqueId = "uniqueId"


class AutoExposureBIProvider(graphene.Enum):
    """The BI tools dbt Cloud discovers exposures in (Lantern discovers none)."""

    powerbi = "powerbi"
    tableau = "tableau"


class ExposureHealthIssueType(graphene.Enum):
    """What can be wrong upstream of an exposure."""

    CautionUpstreamSources = "CautionUpstreamSources"
    DegradedUpstreamSources = "DegradedUpstreamSources"
    FailedTestUpstreamModels = "FailedTestUpstreamModels"
    LastRunFailedUpstreamModels = "LastRunFailedUpstreamModels"
    Unknown = "Unknown"
    WarnedTestUpstreamModels = "WarnedTestUpstreamModels"


class FreshnessStatus(graphene.Enum):
    """The outcome of a source freshness check."""

    Error = "Error"
    Pass = "Pass"
    Skipped = "Skipped"
    Unknown = "Unknown"
    Warn = "Warn"


class OwnerResourceType(graphene.Enum):
    """The resources `owners` lists the owners of."""

    exposure = "exposure"
    group = "group"


class PackageResourceType(graphene.Enum):
    """The resources `packages` lists the packages of."""

    macro = "macro"
    model = "model"


class Quality(graphene.Enum):
    """The worst test result upstream of an exposure."""

    Error = "Error"
    Pass = "Pass"
    Unknown = "Unknown"
    Warn = "Warn"


class ReleaseVersion(graphene.Enum):
    """Where a version of a model stands: the latest, a prerelease, an old one, or unversioned."""

    latest = "latest"
    none = "none"
    old = "old"
    prerelease = "prerelease"


class ResourceNodeType(graphene.Enum):
    """The resource types of lineage nodes and of `resources(filter: {types})`."""

    Exposure = "Exposure"
    Macro = "Macro"
    Metric = "Metric"
    Model = "Model"
    SavedQuery = "SavedQuery"
    Seed = "Seed"
    SemanticModel = "SemanticModel"
    Snapshot = "Snapshot"
    Source = "Source"
    Test = "Test"


class RunStatus(graphene.Enum):
    """The outcome of a model's execution."""

    error = "error"
    skipped = "skipped"
    success = "success"


class SortDirection(graphene.Enum):
    """Ascending or descending."""

    asc = "asc"
    desc = "desc"


class TestType(graphene.Enum):
    """The kinds of test."""

    GENERIC_DATA_TEST = "GENERIC_DATA_TEST"
    SINGULAR_DATA_TEST = "SINGULAR_DATA_TEST"
    UNIT_TEST = "UNIT_TEST"


class TimePeriod(graphene.Enum):
    """The unit of a freshness criterion."""

    day = "day"
    hour = "hour"
    minute = "minute"


# `pass` is a Python keyword, so this one is built from a list of (name, value) pairs.
TestStatus = graphene.Enum(
    "TestStatus",
    [(status, status) for status in ("pass", "fail", "error", "skipped", "warn")],
    description="The outcome of a test's latest execution.",
)

# ResourceNodeType <-> Lantern's resource types (Node.resource_type).
RESOURCE_TYPES: dict[str, tuple[str, ...]] = {
    "Exposure": ("exposure",),
    "Macro": ("macro",),
    "Metric": ("metric",),
    "Model": ("model",),
    "SavedQuery": ("saved_query",),
    "Seed": ("seed",),
    "SemanticModel": ("semantic_model",),
    "Snapshot": ("snapshot",),
    "Source": ("source",),
    "Test": ("test", "unit_test"),
}
NODE_TYPES = {rt: name for name, types in RESOURCE_TYPES.items() for rt in types}
TEST_TYPES = {"generic": "GENERIC_DATA_TEST", "singular": "SINGULAR_DATA_TEST", "unit": "UNIT_TEST"}

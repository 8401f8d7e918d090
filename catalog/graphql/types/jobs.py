"""Job-level node types: what `job(id, runId)` and the deprecated job roots list."""

from __future__ import annotations

import graphene

from catalog.graphql.enums import FreshnessStatus
from catalog.graphql.scalars import BigInt
from catalog.graphql.types import fields
from catalog.graphql.types.base import ObjectType
from catalog.graphql.types.common import (
    CatalogColumn,
    CatalogStat,
    Criteria,
    MetricFilter,
    RunInfoNode,
)
from catalog.graphql.types.interfaces import CloudArtifactInterface, NodeInterface


def _children_l1(noun: str, *, required: bool = True) -> graphene.List:
    return graphene.List(
        graphene.NonNull(graphene.String),
        required=required,
        description=f"The list of nodes that depend on this {noun}",
    )


def _depends_on(noun: str, then: str = "") -> graphene.List:
    return graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description=f"The list of nodes this {noun} depends on{then}",
    )


def _parents_models(noun: str) -> graphene.List:
    return graphene.List(
        graphene.NonNull(lambda: ModelNode),
        required=True,
        description=f"The list of models that are parents of this {noun}",
    )


def _parents_sources(noun: str) -> graphene.List:
    return graphene.List(
        graphene.NonNull(lambda: SourceNode),
        required=True,
        description=f"The list of sources that are parents of this {noun}",
    )


def _columns(noun: str) -> graphene.List:
    return graphene.List(
        graphene.NonNull(CatalogColumn), description=f"The columns for this {noun}"
    )


def _stats(noun: str) -> graphene.List:
    return graphene.List(
        graphene.NonNull(CatalogStat), required=True, description=f"The stats for this {noun}"
    )


class ModelNode(ObjectType):
    class Meta:
        interfaces = (
            CloudArtifactInterface,
            NodeInterface,
        )
        description = "A model as one job run saw it"

    access = fields.access()
    alias = fields.alias()
    args = fields.args()
    children_l1 = _children_l1("model")
    columns = _columns("model")
    comment = fields.comment("source")
    compile_completed_at = fields.compile_completed_at("model")
    compile_started_at = fields.compile_started_at("model")
    compiled_code = fields.compiled_code()
    compiled_sql = graphene.String(description="The compiled sql for this model")
    database = fields.database()
    dbt_group = graphene.String(description="The group this model belongs to")
    depends_on = _depends_on("model")
    error = fields.error()
    execute_completed_at = fields.execute_completed_at("model")
    execute_started_at = fields.execute_started_at("model")
    execution_time = fields.execution_time("model")
    invocation_id = fields.invocation_id("model")
    language = fields.language()
    materialized_type = fields.materialized_type()
    owner = fields.owner("model")
    package_name = fields.package_name()
    packages = fields.packages()
    parents_models = _parents_models("model")
    parents_sources = _parents_sources("model")
    raw_code = fields.raw_code()
    raw_sql = graphene.String(description="The raw sql for this model")
    run_elapsed_time = fields.run_elapsed_time("model")
    run_generated_at = fields.run_generated_at()
    run_results = graphene.List(
        graphene.NonNull(RunInfoNode), required=True, description="The run results for this node"
    )
    schema = fields.schema()
    skip = fields.skip("model")
    stats = _stats("model")
    status = fields.status("model")
    tests = fields.tests(lambda: TestNode)
    thread_id = fields.thread_id("model")
    type = fields.type()
    pagination_cursor = fields.pagination_cursor()


class SourceNode(ObjectType):
    class Meta:
        interfaces = (
            CloudArtifactInterface,
            NodeInterface,
        )
        description = "A source as one job run saw it, with the run's freshness check"

    children_l1 = _children_l1("model")
    columns = _columns("seed")
    comment = fields.comment("source")
    criteria = graphene.Field(
        Criteria, required=True, description="The freshness SLA specified for this source table"
    )
    database = fields.database()
    freshness_checked = fields.freshness_checked()
    identifier = fields.identifier()
    loader = fields.loader()
    max_loaded_at = fields.max_loaded_at()
    max_loaded_at_time_ago_in_s = fields.max_loaded_at_time_ago_in_s()
    owner = fields.owner("source")
    run_elapsed_time = graphene.Float(
        description=(
            "The elapsed time of the specific run step (dbt source snapshot-freshness) that "
            "generated this source node"
        )
    )
    run_generated_at = fields.run_generated_at()
    schema = fields.schema()
    snapshotted_at = fields.snapshotted_at()
    source_description = fields.source_description()
    source_name = fields.source_name()
    state = FreshnessStatus(
        description=(
            'The state of the freshness check for this source. Can be one of null, "pass", "fail",'
            ' or "error". A value of null indicates that there was no freshness check.'
        )
    )
    stats = _stats("seed")
    tests = fields.tests(lambda: TestNode)
    type = fields.type()
    pagination_cursor = fields.pagination_cursor()


class SeedNode(ObjectType):
    class Meta:
        interfaces = (
            CloudArtifactInterface,
            NodeInterface,
        )
        description = "A seed as one job run saw it"

    alias = fields.alias()
    children_l1 = _children_l1("seed", required=False)
    columns = _columns("seed")
    comment = fields.comment("seed")
    compile_completed_at = fields.compile_completed_at("seed")
    compile_started_at = fields.compile_started_at("seed")
    compiled_code = fields.compiled_code()
    compiled_sql = graphene.String(description="The compiled SQL for this seed")
    database = fields.database()
    error = fields.error()
    execute_completed_at = fields.execute_completed_at("seed")
    execute_started_at = fields.execute_started_at("seed")
    execution_time = fields.execution_time("seed")
    owner = fields.owner("seed")
    package_name = fields.package_name()
    raw_code = fields.raw_code()
    raw_sql = graphene.String(description="The raw SQL for this seed")
    run_elapsed_time = fields.run_elapsed_time("seed")
    run_generated_at = fields.run_generated_at()
    schema = fields.schema()
    skip = fields.skip("seed")
    stats = _stats("seed")
    status = fields.status("seed")
    thread_id = graphene.String(
        name="thread_id", description="The thread that ran the execution of this seed"
    )
    type = fields.type()
    pagination_cursor = fields.pagination_cursor()


class SnapshotNode(ObjectType):
    class Meta:
        interfaces = (
            CloudArtifactInterface,
            NodeInterface,
        )
        description = "A snapshot as one job run saw it"

    alias = fields.alias()
    children_l1 = _children_l1("snapshot")
    columns = _columns("snapshot")
    comment = fields.comment("snapshot")
    compile_completed_at = fields.compile_completed_at("snapshot")
    compile_started_at = fields.compile_started_at("snapshot")
    compiled_code = fields.compiled_code()
    compiled_sql = graphene.String(description="The compiled SQL for this snapshot")
    database = fields.database()
    error = graphene.String(description="The error message if there was an error, otherwise null")
    execute_completed_at = fields.execute_completed_at("snapshot")
    execute_started_at = fields.execute_started_at("snapshot")
    execution_time = graphene.Float(
        description="The total time elapsed in seconds during the execution of this snapshot"
    )
    owner = fields.owner("snapshot")
    package_name = fields.package_name()
    parents_models = _parents_models("snapshot")
    parents_sources = _parents_sources("snapshot")
    raw_code = fields.raw_code()
    raw_sql = graphene.String(description="The raw SQL for this snapshot")
    run_elapsed_time = fields.run_elapsed_time("snapshot")
    run_generated_at = fields.run_generated_at()
    schema = fields.schema()
    skip = fields.skip("snapshot")
    stats = _stats("snapshot")
    status = fields.status("snapshot")
    thread_id = fields.thread_id("snapshot")
    type = fields.type()
    pagination_cursor = fields.pagination_cursor()


class TestNode(ObjectType):
    class Meta:
        interfaces = (
            CloudArtifactInterface,
            NodeInterface,
        )
        description = "A data test or unit test as one job run saw it"

    column_name = fields.column_name()
    compile_completed_at = fields.compile_completed_at("test")
    compile_started_at = fields.compile_started_at("test")
    compiled_code = fields.compiled_code()
    compiled_sql = graphene.String(description="The compiled sql of this test")
    depends_on = _depends_on("test", then=", then the macros it calls")
    error = graphene.String(description='The error message in the case of state being "error"')
    execute_completed_at = fields.execute_completed_at("test")
    execute_started_at = fields.execute_started_at("test")
    execution_time = fields.execution_time("test")
    fail = graphene.Boolean(description="The failure result")
    invocation_id = fields.invocation_id("test")
    language = fields.language()
    raw_code = fields.raw_code()
    raw_sql = graphene.String(description="The raw sql of this test")
    run_elapsed_time = fields.run_elapsed_time("test")
    run_generated_at = fields.run_generated_at()
    skip = graphene.Boolean(description="The skipped result")
    state = graphene.String(
        description=(
            'The test results. Can be one of, in order of severity, "error", "fail", "warn", "pass"'
        )
    )
    status = graphene.String(
        description=(
            'Status details the results of a test. For errors, it reads "ERROR". For other test '
            "results, it represents the number of rows that contribute to the test results"
        )
    )
    thread_id = fields.thread_id("test")
    warn = graphene.Boolean(description="The warning result")
    pagination_cursor = fields.pagination_cursor()


class ExposureNode(ObjectType):
    class Meta:
        interfaces = (
            CloudArtifactInterface,
            NodeInterface,
        )
        description = "An exposure as one job run saw it"

    compile_completed_at = fields.compile_completed_at("model")
    compile_started_at = fields.compile_started_at("model")
    depends_on = _depends_on("exposure")
    execute_completed_at = fields.execute_completed_at("model")
    execute_started_at = fields.execute_started_at("model")
    execution_time = fields.execution_time("model")
    exposure_type = fields.exposure_type()
    manifest_generated_at = fields.manifest_generated_at()
    maturity = fields.maturity()
    owner_email = fields.owner_email()
    owner_name = fields.owner_name()
    package_name = fields.package_name()
    parents = fields.parents(NodeInterface)
    parents_models = _parents_models("exposure")
    parents_sources = _parents_sources("exposure")
    status = fields.status("model")
    thread_id = fields.thread_id("model")
    url = fields.url()
    pagination_cursor = fields.pagination_cursor()


class MacroNode(ObjectType):
    class Meta:
        interfaces = (
            CloudArtifactInterface,
            NodeInterface,
        )
        description = "A macro as one job run saw it"

    depends_on = _depends_on("macro")
    macro_sql = graphene.String(description="The code of this macro")
    original_file_path = graphene.String(description="The label associated with this macro")
    package_name = fields.package_name()
    path = graphene.String(description="The label associated with this macro")
    root_path = graphene.String(description="The label associated with this macro")
    pagination_cursor = fields.pagination_cursor()


class MetricNode(ObjectType):
    class Meta:
        interfaces = (
            CloudArtifactInterface,
            NodeInterface,
        )
        description = "A metric as one job run saw it"

    calculation_method = graphene.String(
        name="calculation_method", description="The calculation method of this metric"
    )
    depends_on = _depends_on("metric")
    dimensions = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The dimensions of this semantic model",
    )
    environment_name = graphene.String(
        description="The name of the environment in dbt Cloud that this node was generated for"
    )
    expression = fields.expression()
    filters = graphene.List(
        graphene.NonNull(MetricFilter),
        required=True,
        description="A list of filters to apply before calculating the metric",
    )
    label = fields.label()
    model = graphene.Field(lambda: ModelNode, description="The model a unit test tests")
    package_name = fields.package_name()
    sql = graphene.String(description="The expression to aggregate or calculate over")
    time_grains = graphene.List(
        graphene.NonNull(graphene.String),
        description='One or more "grains" at which the metric can be evaluated',
    )
    timestamp = graphene.String(description="The time-based component of the metric")
    type = fields.type()
    pagination_cursor = fields.pagination_cursor()


def _page_args(**more: graphene.Argument) -> dict[str, graphene.Argument]:
    return {
        **more,
        "first": graphene.Argument(
            graphene.Int, description="At most this many rows (at most 100)"
        ),
        "after": graphene.Argument(
            graphene.String, description="The rows after this paginationCursor"
        ),
    }


def _relation_args() -> dict[str, graphene.Argument]:
    return _page_args(
        database=graphene.Argument(graphene.String, description="Only this database (any case)"),
        identifier=graphene.Argument(
            graphene.String, description="Only relations of this name (any case)"
        ),
        schema=graphene.Argument(graphene.String, description="Only this schema (any case)"),
    )


def _one(description: str) -> dict[str, graphene.Argument]:
    return {"unique_id": graphene.Argument(graphene.String, required=True, description=description)}


PAGED = (
    "; all of them without `first` and `after`, else at most `first` (up to 100) after the "
    "`after` paginationCursor"
)


def _rows(of: type[ObjectType], description: str, *, relation: bool = False) -> graphene.List:
    """A paged list of the run's nodes; `relation` adds the database/schema/identifier filters."""
    return graphene.List(
        graphene.NonNull(of),
        required=True,
        args=_relation_args() if relation else _page_args(),
        description=description + PAGED,
    )


class JobNode(ObjectType):
    class Meta:
        description = "One run of a job, and the nodes it saw"

    id = BigInt(required=True, description="The job id")
    run_id = BigInt(required=True, description="The run id")
    models = _rows(ModelNode, "The models the run executed, in uniqueId order", relation=True)
    sources = _rows(
        SourceNode, "The sources, with the run's freshness check of each", relation=True
    )
    seeds = _rows(SeedNode, "The seeds the run executed")
    snapshots = _rows(SnapshotNode, "The snapshots the run executed")
    tests = _rows(TestNode, "The data tests and unit tests the run executed")
    exposures = _rows(ExposureNode, "The exposures of the project")
    macros = _rows(MacroNode, "The macros of the project")
    metrics = _rows(MetricNode, "The metrics of the project")
    model = graphene.Field(
        ModelNode, args=_one("The model's unique id"), description="A model the run executed"
    )
    source = graphene.Field(SourceNode, args=_one("The source's unique id"), description="A source")
    seed = graphene.Field(
        SeedNode, args=_one("The seed's unique id"), description="A seed the run executed"
    )
    snapshot = graphene.Field(
        SnapshotNode,
        args=_one("The snapshot's unique id"),
        description="A snapshot the run executed",
    )
    test = graphene.Field(
        TestNode, args=_one("The test's unique id"), description="A test the run executed"
    )
    macro = graphene.Field(MacroNode, args=_one("The macro's unique id"), description="A macro")
    metric = graphene.Field(MetricNode, args=_one("The metric's unique id"), description="A metric")
    exposure = graphene.Field(
        ExposureNode,
        args={
            "name": graphene.Argument(
                graphene.String, required=True, description="The exposure's name"
            )
        },
        description="An exposure, by name",
    )

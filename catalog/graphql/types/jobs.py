"""Job-level node types: what `job(id, runId)` and the deprecated job roots list."""

from __future__ import annotations

import graphene

from catalog.graphql.enums import FreshnessStatus
from catalog.graphql.scalars import BigInt, DateTime
from catalog.graphql.types.base import ObjectType
from catalog.graphql.types.common import (
    CatalogColumn,
    CatalogStat,
    Criteria,
    MetricFilter,
    RunInfoNode,
)
from catalog.graphql.types.interfaces import CloudArtifactInterface, NodeInterface


class ModelNode(ObjectType):
    class Meta:
        interfaces = (
            CloudArtifactInterface,
            NodeInterface,
        )
        description = "A model as one job run saw it"

    access = graphene.String(
        description="The access level of this model: private, protected or public"
    )
    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    args = graphene.String(description="The args passed to the dbt step which generated this model")
    children_l1 = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The list of nodes that depend on this model",
    )
    columns = graphene.List(
        graphene.NonNull(CatalogColumn), description="The columns for this model"
    )
    comment = graphene.String(description="The comment on this source")
    compile_completed_at = DateTime(
        description="The ISO timestamp when this model completed compilation"
    )
    compile_started_at = DateTime(description="The ISO timestamp when this model began compilation")
    compiled_code = graphene.String(
        description="The compiled code of this node, from the latest manifest"
    )
    compiled_sql = graphene.String(description="The compiled sql for this model")
    database = graphene.String(description="The database of the relation")
    dbt_group = graphene.String(description="The group this model belongs to")
    depends_on = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The list of nodes this model depends on",
    )
    error = graphene.String(description="The error message if there was an error, else null")
    execute_completed_at = DateTime(
        description="The ISO timestamp when this model finished running"
    )
    execute_started_at = DateTime(description="The ISO timestamp when this model began running")
    execution_time = graphene.Float(
        description="The total time elapsed during the execution of this model"
    )
    invocation_id = graphene.String(
        description="The identifier of the run step that generated this model"
    )
    language = graphene.String(description="The language of the node's code: sql or python")
    materialized_type = graphene.String(
        description="How the node is materialized: table, view, incremental, ephemeral, ..."
    )
    owner = graphene.String(description="The owner of this model")
    package_name = graphene.String(description="The dbt package that defines this node")
    packages = graphene.List(
        graphene.NonNull(graphene.String),
        description="The dbt packages the project of this node uses",
    )
    parents_models = graphene.List(
        graphene.NonNull(lambda: ModelNode),
        required=True,
        description="The list of models that are parents of this model",
    )
    parents_sources = graphene.List(
        graphene.NonNull(lambda: SourceNode),
        required=True,
        description="The list of sources that are parents of this model",
    )
    raw_code = graphene.String(description="The code of this node as written")
    raw_sql = graphene.String(description="The raw sql for this model")
    run_elapsed_time = graphene.Float(
        description=(
            "The elapsed time of the specific run step (dbt run) that generated this model node"
        )
    )
    run_generated_at = DateTime(
        description="When the run (or manifest) that produced this was generated"
    )
    run_results = graphene.List(
        graphene.NonNull(RunInfoNode), required=True, description="The run results for this node"
    )
    schema = graphene.String(description="The schema of the relation")
    skip = graphene.Boolean(description="True if this model was skipped, otherwise false")
    stats = graphene.List(
        graphene.NonNull(CatalogStat), required=True, description="The stats for this model"
    )
    status = graphene.String(description="The database-reported status of this model")
    tests = graphene.List(
        graphene.NonNull(lambda: TestNode), required=True, description="The tests of this node"
    )
    thread_id = graphene.String(description="The thread that ran the execution of this model")
    type = graphene.String(description="The type of this node")
    pagination_cursor = graphene.String(
        description="The cursor of this row: pass it as `after` to get the rows that follow"
    )


class SourceNode(ObjectType):
    class Meta:
        interfaces = (
            CloudArtifactInterface,
            NodeInterface,
        )
        description = "A source as one job run saw it, with the run's freshness check"

    children_l1 = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The list of nodes that depend on this model",
    )
    columns = graphene.List(
        graphene.NonNull(CatalogColumn), description="The columns for this seed"
    )
    comment = graphene.String(description="The comment on this source")
    criteria = graphene.Field(
        Criteria, required=True, description="The freshness SLA specified for this source table"
    )
    database = graphene.String(description="The database of the relation")
    freshness_checked = graphene.Boolean(description="Whether or not the freshness was checked")
    identifier = graphene.String(description="The name of the table or view in the warehouse")
    loader = graphene.String(description="The tool that loads this source")
    max_loaded_at = DateTime(
        description=(
            'The max value in the designated "loaded_at" column for this source table. ISO '
            "formatted timestamp"
        )
    )
    max_loaded_at_time_ago_in_s = graphene.Float(
        description="The delta (in seconds) between max_loaded_at and snapshotted_at"
    )
    owner = graphene.String(description="The owner of this source")
    run_elapsed_time = graphene.Float(
        description=(
            "The elapsed time of the specific run step (dbt source snapshot-freshness) that "
            "generated this source node"
        )
    )
    run_generated_at = DateTime(
        description="When the run (or manifest) that produced this was generated"
    )
    schema = graphene.String(description="The schema of the relation")
    snapshotted_at = DateTime(
        description=(
            "The time when this source was checked for freshnesses by dbt. ISO formatted timestamp"
        )
    )
    source_description = graphene.String(
        description="The description of the source this table belongs to"
    )
    source_name = graphene.String(description="The name of the source this table belongs to")
    state = FreshnessStatus(
        description=(
            'The state of the freshness check for this source. Can be one of null, "pass", "fail",'
            ' or "error". A value of null indicates that there was no freshness check.'
        )
    )
    stats = graphene.List(
        graphene.NonNull(CatalogStat), required=True, description="The stats for this seed"
    )
    tests = graphene.List(
        graphene.NonNull(lambda: TestNode), required=True, description="The tests of this node"
    )
    type = graphene.String(description="The type of this node")
    pagination_cursor = graphene.String(
        description="The cursor of this row: pass it as `after` to get the rows that follow"
    )


class SeedNode(ObjectType):
    class Meta:
        interfaces = (
            CloudArtifactInterface,
            NodeInterface,
        )
        description = "A seed as one job run saw it"

    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    children_l1 = graphene.List(
        graphene.NonNull(graphene.String), description="The list of nodes that depend on this seed"
    )
    columns = graphene.List(
        graphene.NonNull(CatalogColumn), description="The columns for this seed"
    )
    comment = graphene.String(description="The comment on this seed")
    compile_completed_at = DateTime(
        description="The ISO timestamp when this seed completed compilation"
    )
    compile_started_at = DateTime(description="The ISO timestamp when this seed began compilation")
    compiled_code = graphene.String(
        description="The compiled code of this node, from the latest manifest"
    )
    compiled_sql = graphene.String(description="The compiled SQL for this seed")
    database = graphene.String(description="The database of the relation")
    error = graphene.String(description="The error message if there was an error, else null")
    execute_completed_at = DateTime(description="The ISO timestamp when this seed finished running")
    execute_started_at = DateTime(description="The ISO timestamp when this seed began running")
    execution_time = graphene.Float(
        description="The total time elapsed during the execution of this seed"
    )
    owner = graphene.String(description="The owner of this seed")
    package_name = graphene.String(description="The dbt package that defines this node")
    raw_code = graphene.String(description="The code of this node as written")
    raw_sql = graphene.String(description="The raw SQL for this seed")
    run_elapsed_time = graphene.Float(
        description=(
            "The elapsed time of the specific run step (dbt run) that generated this seed node"
        )
    )
    run_generated_at = DateTime(
        description="When the run (or manifest) that produced this was generated"
    )
    schema = graphene.String(description="The schema of the relation")
    skip = graphene.Boolean(description="True if this seed was skipped, otherwise false")
    stats = graphene.List(
        graphene.NonNull(CatalogStat), required=True, description="The stats for this seed"
    )
    status = graphene.String(description="The database-reported status of this seed")
    thread_id = graphene.String(
        name="thread_id", description="The thread that ran the execution of this seed"
    )
    type = graphene.String(description="The type of this node")
    pagination_cursor = graphene.String(
        description="The cursor of this row: pass it as `after` to get the rows that follow"
    )


class SnapshotNode(ObjectType):
    class Meta:
        interfaces = (
            CloudArtifactInterface,
            NodeInterface,
        )
        description = "A snapshot as one job run saw it"

    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    children_l1 = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The list of nodes that depend on this snapshot",
    )
    columns = graphene.List(
        graphene.NonNull(CatalogColumn), description="The columns for this snapshot"
    )
    comment = graphene.String(description="The comment on this snapshot")
    compile_completed_at = DateTime(
        description="The ISO timestamp when this snapshot completed compilation"
    )
    compile_started_at = DateTime(
        description="The ISO timestamp when this snapshot began compilation"
    )
    compiled_code = graphene.String(
        description="The compiled code of this node, from the latest manifest"
    )
    compiled_sql = graphene.String(description="The compiled SQL for this snapshot")
    database = graphene.String(description="The database of the relation")
    error = graphene.String(description="The error message if there was an error, otherwise null")
    execute_completed_at = DateTime(
        description="The ISO timestamp when this snapshot finished running"
    )
    execute_started_at = DateTime(description="The ISO timestamp when this snapshot began running")
    execution_time = graphene.Float(
        description="The total time elapsed in seconds during the execution of this snapshot"
    )
    owner = graphene.String(description="The owner of this snapshot")
    package_name = graphene.String(description="The dbt package that defines this node")
    parents_models = graphene.List(
        graphene.NonNull(lambda: ModelNode),
        required=True,
        description="The list of models that are parents of this snapshot",
    )
    parents_sources = graphene.List(
        graphene.NonNull(lambda: SourceNode),
        required=True,
        description="The list of sources that are parents of this snapshot",
    )
    raw_code = graphene.String(description="The code of this node as written")
    raw_sql = graphene.String(description="The raw SQL for this snapshot")
    run_elapsed_time = graphene.Float(
        description=(
            "The elapsed time of the specific run step (dbt run) that generated this snapshot node"
        )
    )
    run_generated_at = DateTime(
        description="When the run (or manifest) that produced this was generated"
    )
    schema = graphene.String(description="The schema of the relation")
    skip = graphene.Boolean(description="True if this snapshot was skipped, otherwise false")
    stats = graphene.List(
        graphene.NonNull(CatalogStat), required=True, description="The stats for this snapshot"
    )
    status = graphene.String(description="The database-reported status of this snapshot")
    thread_id = graphene.String(description="The thread that ran the execution of this snapshot")
    type = graphene.String(description="The type of this node")
    pagination_cursor = graphene.String(
        description="The cursor of this row: pass it as `after` to get the rows that follow"
    )


class TestNode(ObjectType):
    class Meta:
        interfaces = (
            CloudArtifactInterface,
            NodeInterface,
        )
        description = "A data test or unit test as one job run saw it"

    column_name = graphene.String(description="The column the test tests, if any")
    compile_completed_at = DateTime(
        description="The ISO timestamp when this test completed compilation"
    )
    compile_started_at = DateTime(description="The ISO timestamp when this test began compilation")
    compiled_code = graphene.String(
        description="The compiled code of this node, from the latest manifest"
    )
    compiled_sql = graphene.String(description="The compiled sql of this test")
    depends_on = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The list of nodes this test depends on",
    )
    error = graphene.String(description='The error message in the case of state being "error"')
    execute_completed_at = DateTime(description="The ISO timestamp when this test finished running")
    execute_started_at = DateTime(description="The ISO timestamp when this test began running")
    execution_time = graphene.Float(
        description="The total time elapsed during the execution of this test"
    )
    fail = graphene.Boolean(description="The failure result")
    invocation_id = graphene.String(
        description="The identifier of the run step that generated this test"
    )
    language = graphene.String(description="The language of the node's code: sql or python")
    raw_code = graphene.String(description="The code of this node as written")
    raw_sql = graphene.String(description="The raw sql of this test")
    run_elapsed_time = graphene.Float(
        description=(
            "The elapsed time of the specific run step (dbt run) that generated this test node"
        )
    )
    run_generated_at = DateTime(
        description="When the run (or manifest) that produced this was generated"
    )
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
    thread_id = graphene.String(description="The thread that ran the execution of this test")
    warn = graphene.Boolean(description="The warning result")
    pagination_cursor = graphene.String(
        description="The cursor of this row: pass it as `after` to get the rows that follow"
    )


class ExposureNode(ObjectType):
    class Meta:
        interfaces = (
            CloudArtifactInterface,
            NodeInterface,
        )
        description = "An exposure as one job run saw it"

    compile_completed_at = DateTime(
        description="The ISO timestamp when this model completed compilation"
    )
    compile_started_at = DateTime(description="The ISO timestamp when this model began compilation")
    depends_on = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The list of nodes this exposure depends on",
    )
    execute_completed_at = DateTime(
        description="The ISO timestamp when this model finished running"
    )
    execute_started_at = DateTime(description="The ISO timestamp when this model began running")
    execution_time = graphene.Float(
        description="The total time elapsed during the execution of this model"
    )
    exposure_type = graphene.String(
        description="The type of this exposure: dashboard, notebook, analysis, ml, application"
    )
    manifest_generated_at = DateTime(
        description="When the manifest holding this node was generated"
    )
    maturity = graphene.String(description="The maturity of this exposure: high, medium or low")
    owner_email = graphene.String(description="The email of the owner")
    owner_name = graphene.String(description="The name of the owner")
    package_name = graphene.String(description="The dbt package that defines this node")
    parents = graphene.List(
        graphene.NonNull(NodeInterface),
        required=True,
        description="The nodes this node depends on directly",
    )
    parents_models = graphene.List(
        graphene.NonNull(lambda: ModelNode),
        required=True,
        description="The list of models that are parents of this exposure",
    )
    parents_sources = graphene.List(
        graphene.NonNull(lambda: SourceNode),
        required=True,
        description="The list of sources that are parents of this exposure",
    )
    status = graphene.String(description="The database-reported status of this model")
    thread_id = graphene.String(description="The thread that ran the execution of this model")
    url = graphene.String(description="The URL of this exposure")
    pagination_cursor = graphene.String(
        description="The cursor of this row: pass it as `after` to get the rows that follow"
    )


class MacroNode(ObjectType):
    class Meta:
        interfaces = (
            CloudArtifactInterface,
            NodeInterface,
        )
        description = "A macro as one job run saw it"

    depends_on = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The list of nodes this macro depends on",
    )
    macro_sql = graphene.String(description="The code of this macro")
    original_file_path = graphene.String(description="The label associated with this macro")
    package_name = graphene.String(description="The dbt package that defines this node")
    path = graphene.String(description="The label associated with this macro")
    root_path = graphene.String(description="The label associated with this macro")
    pagination_cursor = graphene.String(
        description="The cursor of this row: pass it as `after` to get the rows that follow"
    )


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
    depends_on = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The list of nodes this metric depends on",
    )
    dimensions = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The dimensions of this semantic model",
    )
    environment_name = graphene.String(
        description="The name of the environment in dbt Cloud that this node was generated for"
    )
    expression = graphene.String(description="The expression to aggregate or calculate over")
    filters = graphene.List(
        graphene.NonNull(MetricFilter),
        required=True,
        description="A list of filters to apply before calculating the metric",
    )
    label = graphene.String(description="The human-friendly name of this node")
    model = graphene.Field(lambda: ModelNode, description="The model a unit test tests")
    package_name = graphene.String(description="The dbt package that defines this node")
    sql = graphene.String(description="The expression to aggregate or calculate over")
    time_grains = graphene.List(
        graphene.NonNull(graphene.String),
        description='One or more "grains" at which the metric can be evaluated',
    )
    timestamp = graphene.String(description="The time-based component of the metric")
    type = graphene.String(description="The type of this node")
    pagination_cursor = graphene.String(
        description="The cursor of this row: pass it as `after` to get the rows that follow"
    )


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


class JobNode(ObjectType):
    class Meta:
        description = "One run of a job, and the nodes it saw"

    id = BigInt(required=True, description="The job id")
    run_id = BigInt(required=True, description="The run id")
    models = graphene.List(
        graphene.NonNull(ModelNode),
        required=True,
        args=_relation_args(),
        description="The models the run executed, in uniqueId order" + PAGED,
    )
    sources = graphene.List(
        graphene.NonNull(SourceNode),
        required=True,
        args=_relation_args(),
        description="The sources, with the run's freshness check of each" + PAGED,
    )
    seeds = graphene.List(
        graphene.NonNull(SeedNode),
        required=True,
        args=_page_args(),
        description="The seeds the run executed" + PAGED,
    )
    snapshots = graphene.List(
        graphene.NonNull(SnapshotNode),
        required=True,
        args=_page_args(),
        description="The snapshots the run executed" + PAGED,
    )
    tests = graphene.List(
        graphene.NonNull(TestNode),
        required=True,
        args=_page_args(),
        description="The data tests and unit tests the run executed" + PAGED,
    )
    exposures = graphene.List(
        graphene.NonNull(ExposureNode),
        required=True,
        args=_page_args(),
        description="The exposures of the project" + PAGED,
    )
    macros = graphene.List(
        graphene.NonNull(MacroNode),
        required=True,
        args=_page_args(),
        description="The macros of the project" + PAGED,
    )
    metrics = graphene.List(
        graphene.NonNull(MetricNode),
        required=True,
        args=_page_args(),
        description="The metrics of the project" + PAGED,
    )
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

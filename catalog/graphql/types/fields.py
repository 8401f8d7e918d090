"""The fields many GraphQL types share, one constructor per field meaning.

Each call returns a new, unmounted field: graphene mounts a field instance into the one type
that declares it, so two types never share one. A type declares `name = fields.name()`, and
the type and description come from here, the same wherever the field stands.

A plain field is a `partial` of its graphene type, called like the type itself
(`fields.name(required=True)`). The functions are the fields that vary: where the reference
schema words a field for the kind of node (`this model`, `this seed`) they take that `noun`,
where the related type differs they take it as `of`.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import graphene

from catalog.graphql.enums import AncestorNodeType, FreshnessStatus, ReleaseVersion, TestStatus
from catalog.graphql.enums import TestType as TestTypeEnum
from catalog.graphql.scalars import BigInt, DateTime, JSONObject

# Where the node comes from: account, environment, project, job and run.
account_id = partial(
    BigInt,
    required=True,
    description="The dbt Cloud account id of the environment when it syncs from dbt Cloud, else 0",
)
environment_id = partial(
    BigInt,
    required=True,
    description=(
        "The id of the environment (Lantern's environment ids stand for dbt Cloud environment ids)"
    ),
)
project_id = partial(
    BigInt,
    required=True,
    description=(
        "The id of the dbt project: its dbt Cloud project id when known, else Lantern's project id"
    ),
)
job_id = partial(
    BigInt,
    description=(
        "The job id: the dbt Cloud job id of the run when known, else the environment's id "
        "(one job per environment)"
    ),
)
run_id = partial(
    BigInt,
    description="The run id: the dbt Cloud run id when known, else Lantern's id of the loaded run",
)
job_definition_id = partial(
    BigInt,
    description="The job id of the run that produced the definition, when Lantern holds that run",
)
run_generated_at = partial(
    DateTime, description="When the run (or manifest) that produced this was generated"
)
manifest_generated_at = partial(
    DateTime, description="When the manifest holding this node was generated"
)
dbt_version = partial(graphene.String, description="The version of dbt that produced this node")


# What every node has.
unique_id = partial(graphene.String, required=True, description="The unique id of this node")
name = partial(graphene.String, description="The user-supplied name of this node")
description = partial(graphene.String, description="The user-supplied description of this node")
label = partial(graphene.String, description="The human-friendly name of this node")


def resource_type(of: Any = graphene.String) -> Any:
    return of(
        required=True,
        description=(
            "The resource type of this node, lower case: model, source, seed, snapshot, test, ..."
        ),
    )


type = partial(graphene.String, description="The type of this node")
type_params = partial(JSONObject, description="The type parameters of this node")
meta = partial(
    JSONObject, description="The key-value store of metadata of this node (meta and config.meta)"
)


def tags(*, required: bool = False) -> graphene.List:
    return graphene.List(
        graphene.NonNull(graphene.String), required=required, description="The tags of this node"
    )


def fqn(*, required: bool = False) -> graphene.List:
    return graphene.List(
        graphene.NonNull(graphene.String),
        required=required,
        description="The fully qualified name of this node",
    )


file_path = partial(
    graphene.String,
    required=True,
    description="The path of the file that defines this node, relative to the project folder",
)
patch_path = partial(graphene.String, description="The YAML file that documents this node")
package_name = partial(graphene.String, description="The dbt package that defines this node")


def packages(*, required: bool = False) -> graphene.List:
    return graphene.List(
        graphene.NonNull(graphene.String),
        required=required,
        description="The dbt packages the project of this node uses",
    )


group = partial(graphene.String, description="The group this node belongs to")
config = partial(JSONObject, description="The node's dbt config")
raw_code = partial(graphene.String, description="The code of this node as written")
compiled_code = partial(
    graphene.String, description="The compiled code of this node, from the latest manifest"
)
language = partial(graphene.String, description="The language of the node's code: sql or python")


# The relation a node builds, and models' own fields.
database = partial(graphene.String, description="The database of the relation")
schema = partial(graphene.String, description="The schema of the relation")
alias = partial(
    graphene.String, description="The name of the relation this node builds in the warehouse"
)
identifier = partial(graphene.String, description="The name of the table or view in the warehouse")
relation_name = partial(
    graphene.String, description="The fully qualified relation name in the warehouse"
)
# Also the lineage interfaces' `materializationType`: the same meaning under another name.
materialized_type = partial(
    graphene.String,
    description="How the node is materialized: table, view, incremental, ephemeral, ...",
)
access = partial(
    graphene.String, description="The access level of this model: private, protected or public"
)
contract_enforced = partial(
    graphene.Boolean, description="Whether the model's contract is enforced"
)
deprecation_date = partial(DateTime, description="The date after which this model is deprecated")
version = partial(graphene.String, description="The version of this model, when it is versioned")
latest_version = partial(
    graphene.String, description="The latest version of this model, when it is versioned"
)
release_version = partial(
    ReleaseVersion,
    description="Whether this version of the model is the latest, a prerelease or an old one",
)
modeling_layer = partial(
    graphene.String,
    description=(
        "The modeling layer of this model (staging, intermediate or marts), from its folders "
        "or name"
    ),
)


# The nodes around a node. `of` is the node type (or a lambda returning it).
def parents(of: Any) -> graphene.List:
    return graphene.List(
        graphene.NonNull(of), required=True, description="The nodes this node depends on directly"
    )


def children(of: Any) -> graphene.List:
    return graphene.List(
        graphene.NonNull(of),
        required=True,
        description="The nodes that depend directly on this node",
    )


def ancestors(of: Any, *, types_argument: bool = False) -> graphene.List:
    args = {}
    if types_argument:
        args["types"] = graphene.Argument(
            graphene.List(graphene.NonNull(AncestorNodeType)),
            required=True,
            description="The resource types of the ancestors to list",
        )
    return graphene.List(
        graphene.NonNull(of),
        required=True,
        args=args,
        description="Every node upstream of this node, of the given types",
    )


def tests(of: Any) -> graphene.List:
    return graphene.List(graphene.NonNull(of), required=True, description="The tests of this node")


test_statuses = partial(
    JSONObject,
    required=True,
    description=(
        'The number of tests of this node by their last status, e.g. {"pass": 3, "fail": 1}'
    ),
)


def execution_info(of: Any, *, required: bool = False) -> graphene.Field:
    return graphene.Field(
        of,
        required=required,
        description="How this node was last executed: the last attempt and the last success",
    )


# Sources and their freshness.
loader = partial(graphene.String, description="The tool that loads this source")
source_name = partial(graphene.String, description="The name of the source this table belongs to")
source_description = partial(
    graphene.String, description="The description of the source this table belongs to"
)
freshness_status = partial(
    FreshnessStatus,
    description="The worst freshness status of the sources upstream of this exposure",
)
freshness_checked = partial(
    graphene.Boolean, description="Whether or not the freshness was checked"
)
max_loaded_at = partial(
    DateTime,
    description=(
        'The max value in the designated "loaded_at" column for this source table. ISO '
        "formatted timestamp"
    ),
)
max_loaded_at_time_ago_in_s = partial(
    graphene.Float, description="The delta (in seconds) between max_loaded_at and snapshotted_at"
)
snapshotted_at = partial(
    DateTime,
    description=(
        "The time when this source was checked for freshnesses by dbt. ISO formatted timestamp"
    ),
)


# Exposures, and the owners of exposures and groups.
exposure_type = partial(
    graphene.String,
    description="The type of this exposure: dashboard, notebook, analysis, ml, application",
)
maturity = partial(
    graphene.String, description="The maturity of this exposure: high, medium or low"
)
url = partial(graphene.String, description="The URL of this exposure")
owner_name = partial(graphene.String, description="The name of the owner")
owner_email = partial(graphene.String, description="The email of the owner")


# Tests and unit tests. `required` for what the definition state always has.
column_name = partial(graphene.String, description="The column the test tests, if any")


def test_type(*, required: bool) -> TestTypeEnum:
    return TestTypeEnum(
        required=required,
        description="The kind of test: generic data test, singular data test or unit test",
    )


last_known_result = partial(
    TestStatus, description="The status of the latest execution of this test"
)
tested_node_unique_id = partial(
    graphene.String, description="The unique id of the node the test tests"
)
this_input_node_unique_id = partial(
    graphene.String,
    description=(
        "The unique id of the node whose `this` a unit test overrides (Lantern does not know: null)"
    ),
)
model = partial(graphene.String, description="The model a unit test tests")


def given(*, required: bool = False) -> graphene.List:
    return graphene.List(
        graphene.NonNull(JSONObject), required=required, description="The inputs of a unit test"
    )


expect = partial(JSONObject, description="The expected output of a unit test")
overrides = partial(JSONObject, description="The overrides of a unit test (macros, vars, env vars)")
event_status = partial(
    JSONObject, description="The event status of a unit test (Lantern does not know: null or empty)"
)
num_given = partial(graphene.Int, description="The number of inputs of a unit test")
num_given_rows = partial(
    graphene.Int, description="The number of rows over all inputs of a unit test"
)
num_expect_rows = partial(graphene.Int, description="The number of expected rows of a unit test")


# Metrics.
filter = partial(JSONObject, description="The filter of this metric")
formula = partial(graphene.String, description="The formula of a derived or ratio metric")
expression = partial(graphene.String, description="The expression to aggregate or calculate over")


# One run step of a node (run_results.json), worded for the kind of node: `noun`.
def compile_started_at(noun: str) -> DateTime:
    return DateTime(description=f"The ISO timestamp when this {noun} began compilation")


def compile_completed_at(noun: str) -> DateTime:
    return DateTime(description=f"The ISO timestamp when this {noun} completed compilation")


def execute_started_at(noun: str) -> DateTime:
    return DateTime(description=f"The ISO timestamp when this {noun} began running")


def execute_completed_at(noun: str) -> DateTime:
    return DateTime(description=f"The ISO timestamp when this {noun} finished running")


def execution_time(noun: str) -> graphene.Float:
    return graphene.Float(description=f"The total time elapsed during the execution of this {noun}")


def run_elapsed_time(noun: str) -> graphene.Float:
    return graphene.Float(
        description=(
            f"The elapsed time of the specific run step (dbt run) that generated this {noun} node"
        )
    )


def thread_id(noun: str) -> graphene.String:
    return graphene.String(description=f"The thread that ran the execution of this {noun}")


def status(noun: str) -> graphene.String:
    return graphene.String(description=f"The database-reported status of this {noun}")


def skip(noun: str) -> graphene.Boolean:
    return graphene.Boolean(description=f"True if this {noun} was skipped, otherwise false")


error = partial(graphene.String, description="The error message if there was an error, else null")


def invocation_id(noun: str) -> graphene.String:
    return graphene.String(description=f"The identifier of the run step that generated this {noun}")


args = partial(
    graphene.String, description="The args passed to the dbt step which generated this model"
)


def owner(noun: str) -> graphene.String:
    return graphene.String(description=f"The owner of this {noun}")


def comment(noun: str) -> graphene.String:
    return graphene.String(description=f"The comment on this {noun}")


# The latest attempt and the latest success of a node (its execution info).
def last_run_id(noun: str) -> BigInt:
    return BigInt(
        description=(
            f"The run ID of the last run that either succeeded or failed in building this {noun} "
            "node"
        )
    )


def last_job_definition_id(noun: str) -> BigInt:
    return BigInt(
        description=(
            f"The job ID of the last run that either succeeded or failed in building this {noun} "
            "node"
        )
    )


def last_run_generated_at(noun: str) -> DateTime:
    return DateTime(
        description=(
            "The timestamp when the last run that either succeeded or failed in building this "
            f"{noun} was completed, ISO formatted timestamp"
        )
    )


def last_run_status(noun: str, of: Any = graphene.String) -> Any:
    return of(
        description=(
            f"The status of the last run that either succeeded or failed in building this {noun}"
        )
    )


def last_run_error(noun: str) -> graphene.String:
    return graphene.String(
        description=f"The error message if the last run failed in building this {noun}, else null"
    )


def last_success_run_id(noun: str) -> BigInt:
    return BigInt(description=f"The run ID of the last successful run that built this {noun} node")


def last_success_job_definition_id(noun: str) -> BigInt:
    return BigInt(description=f"The job ID of the last successful run that built this {noun} node")


pagination_cursor = partial(
    graphene.String,
    description="The cursor of this row: pass it as `after` to get the rows that follow",
)

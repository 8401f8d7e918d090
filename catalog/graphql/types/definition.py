"""Definition-state node types, and the macro, metric, semantic model and saved query
types both states share."""

from __future__ import annotations

import graphene

from catalog.graphql.enums import AncestorNodeType, FreshnessStatus, ReleaseVersion, TestType
from catalog.graphql.scalars import BigInt, DateTime, JSONObject
from catalog.graphql.types.base import ObjectType
from catalog.graphql.types.common import (
    MacroArguments,
    ModelLevelConstraint,
    QueryExports,
    QueryParams,
    SemanticModelDimension,
    SemanticModelEntity,
    SemanticModelMeasure,
)
from catalog.graphql.types.interfaces import (
    EnvironmentAppliedNestedNode,
    EnvironmentAppliedNode,
    EnvironmentDefinitionNestedNode,
    EnvironmentDefinitionNode,
)


class MacroDefinitionNode(ObjectType):
    class Meta:
        interfaces = (
            EnvironmentAppliedNode,
            EnvironmentDefinitionNode,
        )
        description = "A macro"

    arguments = graphene.List(
        graphene.NonNull(MacroArguments),
        required=True,
        description="The documented arguments of this macro",
    )
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    job_id = BigInt(
        description=(
            "The job id: the dbt Cloud job id of the run when known, else the environment's id "
            "(one job per environment)"
        )
    )
    macro_sql = graphene.String(required=True, description="The code of this macro")
    package_name = graphene.String(description="The dbt package that defines this node")
    parents = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        description="The nodes this node depends on directly",
    )
    patch_path = graphene.String(description="The YAML file that documents this node")
    run_id = BigInt(
        description=(
            "The run id: the dbt Cloud run id when known, else Lantern's id of the loaded run"
        )
    )


class MacroDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (
            EnvironmentAppliedNestedNode,
            EnvironmentDefinitionNestedNode,
        )
        description = "A macro related to a node"

    dbt_version = graphene.String(description="The version of dbt that produced this node")
    job_id = BigInt(
        description=(
            "The job id: the dbt Cloud job id of the run when known, else the environment's id "
            "(one job per environment)"
        )
    )
    package_name = graphene.String(description="The dbt package that defines this node")
    patch_path = graphene.String(description="The YAML file that documents this node")
    run_id = BigInt(
        description=(
            "The run id: the dbt Cloud run id when known, else Lantern's id of the loaded run"
        )
    )


class MetricDefinitionNode(ObjectType):
    class Meta:
        interfaces = (
            EnvironmentAppliedNode,
            EnvironmentDefinitionNode,
        )
        description = "A metric of the semantic layer"

    ancestors = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        description="Every node upstream of this node, of the given types",
    )
    children = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        description="The nodes that depend directly on this node",
    )
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    filter = JSONObject(description="The filter of this metric")
    formula = graphene.String(description="The formula of a derived or ratio metric")
    fqn = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The fully qualified name of this node",
    )
    group = graphene.String(description="The group this node belongs to")
    job_definition_id = BigInt(
        description=(
            "The job id of the run that produced the definition, when Lantern holds that run"
        )
    )
    package_name = graphene.String(description="The dbt package that defines this node")
    parents = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        description="The nodes this node depends on directly",
    )
    patch_path = graphene.String(description="The YAML file that documents this node")
    run_id = BigInt(
        description=(
            "The run id: the dbt Cloud run id when known, else Lantern's id of the loaded run"
        )
    )
    type = graphene.String(description="The type of this node")
    type_params = JSONObject(description="The type parameters of this node")


class MetricDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (
            EnvironmentAppliedNestedNode,
            EnvironmentDefinitionNestedNode,
        )
        description = "A metric related to a node"

    dbt_version = graphene.String(description="The version of dbt that produced this node")
    filter = JSONObject(description="The filter of this metric")
    formula = graphene.String(description="The formula of a derived or ratio metric")
    group = graphene.String(description="The group this node belongs to")
    job_definition_id = BigInt(
        description=(
            "The job id of the run that produced the definition, when Lantern holds that run"
        )
    )
    package_name = graphene.String(description="The dbt package that defines this node")
    patch_path = graphene.String(description="The YAML file that documents this node")
    run_id = BigInt(
        description=(
            "The run id: the dbt Cloud run id when known, else Lantern's id of the loaded run"
        )
    )
    type = graphene.String(description="The type of this node")
    type_params = JSONObject(description="The type parameters of this node")


class SemanticModelDefinitionNode(ObjectType):
    class Meta:
        interfaces = (
            EnvironmentAppliedNode,
            EnvironmentDefinitionNode,
        )
        description = "A semantic model"

    ancestors = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        description="Every node upstream of this node, of the given types",
    )
    children = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        description="The nodes that depend directly on this node",
    )
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    dimensions = graphene.List(
        graphene.NonNull(SemanticModelDimension),
        required=True,
        description="The dimensions of this semantic model",
    )
    entities = graphene.List(
        graphene.NonNull(SemanticModelEntity),
        required=True,
        description="The entities of this semantic model",
    )
    fqn = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The fully qualified name of this node",
    )
    job_definition_id = BigInt(
        description=(
            "The job id of the run that produced the definition, when Lantern holds that run"
        )
    )
    measures = graphene.List(
        graphene.NonNull(SemanticModelMeasure),
        required=True,
        description="The measures of this semantic model",
    )
    package_name = graphene.String(description="The dbt package that defines this node")
    parents = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        description="The nodes this node depends on directly",
    )
    patch_path = graphene.String(description="The YAML file that documents this node")
    run_id = BigInt(
        description=(
            "The run id: the dbt Cloud run id when known, else Lantern's id of the loaded run"
        )
    )


class SemanticModelDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (
            EnvironmentAppliedNestedNode,
            EnvironmentDefinitionNestedNode,
        )
        description = "A semantic model related to a node"

    dbt_version = graphene.String(description="The version of dbt that produced this node")
    dimensions = graphene.List(
        graphene.NonNull(SemanticModelDimension),
        required=True,
        description="The dimensions of this semantic model",
    )
    entities = graphene.List(
        graphene.NonNull(SemanticModelEntity),
        required=True,
        description="The entities of this semantic model",
    )
    job_definition_id = BigInt(
        description=(
            "The job id of the run that produced the definition, when Lantern holds that run"
        )
    )
    measures = graphene.List(
        graphene.NonNull(SemanticModelMeasure),
        required=True,
        description="The measures of this semantic model",
    )
    package_name = graphene.String(description="The dbt package that defines this node")
    patch_path = graphene.String(description="The YAML file that documents this node")
    run_id = BigInt(
        description=(
            "The run id: the dbt Cloud run id when known, else Lantern's id of the loaded run"
        )
    )


class SavedQueryDefinitionNode(ObjectType):
    class Meta:
        interfaces = (
            EnvironmentAppliedNode,
            EnvironmentDefinitionNode,
        )
        description = "A saved query of the semantic layer"

    ancestors = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        description="Every node upstream of this node, of the given types",
    )
    children = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        description="The nodes that depend directly on this node",
    )
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    exports = graphene.List(
        graphene.NonNull(QueryExports), required=True, description="The exports of this saved query"
    )
    fqn = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The fully qualified name of this node",
    )
    group = graphene.String(description="The group this node belongs to")
    job_definition_id = BigInt(
        description=(
            "The job id of the run that produced the definition, when Lantern holds that run"
        )
    )
    package_name = graphene.String(description="The dbt package that defines this node")
    parents = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        description="The nodes this node depends on directly",
    )
    query_params = graphene.Field(
        QueryParams, required=True, description="The query of this saved query"
    )
    run_id = BigInt(
        description=(
            "The run id: the dbt Cloud run id when known, else Lantern's id of the loaded run"
        )
    )


class SavedQueryDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (
            EnvironmentAppliedNestedNode,
            EnvironmentDefinitionNestedNode,
        )
        description = "A saved query related to a node"

    dbt_version = graphene.String(description="The version of dbt that produced this node")
    exports = graphene.List(
        graphene.NonNull(QueryExports), required=True, description="The exports of this saved query"
    )
    group = graphene.String(description="The group this node belongs to")
    job_definition_id = BigInt(
        description=(
            "The job id of the run that produced the definition, when Lantern holds that run"
        )
    )
    package_name = graphene.String(description="The dbt package that defines this node")
    query_params = graphene.Field(
        QueryParams, required=True, description="The query of this saved query"
    )
    run_id = BigInt(
        description=(
            "The run id: the dbt Cloud run id when known, else Lantern's id of the loaded run"
        )
    )


class ModelDefinitionNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNode,)
        description = "The definition state of a model"

    access = graphene.String(
        description="The access level of this model: private, protected or public"
    )
    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    ancestors = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        args={
            "types": graphene.Argument(
                graphene.List(graphene.NonNull(AncestorNodeType)),
                required=True,
                description="The resource types of the ancestors to list",
            )
        },
        description="Every node upstream of this node, of the given types",
    )
    children = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        description="The nodes that depend directly on this node",
    )
    constraints = graphene.List(
        graphene.NonNull(ModelLevelConstraint),
        required=True,
        description="The model-level constraints of this model",
    )
    contract_enforced = graphene.Boolean(description="Whether the model's contract is enforced")
    database = graphene.String(description="The database of the relation")
    deprecation_date = DateTime(description="The date after which this model is deprecated")
    fqn = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The fully qualified name of this node",
    )
    group = graphene.String(description="The group this node belongs to")
    job_definition_id = BigInt(
        description=(
            "The job id of the run that produced the definition, when Lantern holds that run"
        )
    )
    language = graphene.String(description="The language of the node's code: sql or python")
    latest_version = graphene.String(
        description="The latest version of this model, when it is versioned"
    )
    materialized_type = graphene.String(
        description="How the node is materialized: table, view, incremental, ephemeral, ..."
    )
    modeling_layer = graphene.String(
        description=(
            "The modeling layer of this model (staging, intermediate or marts), from its folders "
            "or name"
        )
    )
    package_name = graphene.String(description="The dbt package that defines this node")
    packages = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The dbt packages the project of this node uses",
    )
    parents = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        description="The nodes this node depends on directly",
    )
    patch_path = graphene.String(description="The YAML file that documents this node")
    raw_code = graphene.String(description="The code of this node as written")
    release_version = ReleaseVersion(
        description="Whether this version of the model is the latest, a prerelease or an old one"
    )
    run_id = BigInt(
        description=(
            "The run whose invocation wrote the manifest of this definition, when Lantern holds it"
        )
    )
    schema = graphene.String(description="The schema of the relation")
    tests = graphene.List(
        graphene.NonNull(lambda: TestDefinitionNestedNode),
        required=True,
        description="The tests of this node",
    )
    version = graphene.String(description="The version of this model, when it is versioned")


class SourceDefinitionNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNode,)
        description = "A source as the latest manifest defines it"

    children = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        description="The nodes that depend directly on this node",
    )
    database = graphene.String(description="The database of the relation")
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    fqn = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The fully qualified name of this node",
    )
    identifier = graphene.String(description="The name of the table or view in the warehouse")
    loader = graphene.String(description="The tool that loads this source")
    patch_path = graphene.String(description="The YAML file that documents this node")
    schema = graphene.String(description="The schema of the relation")
    source_description = graphene.String(
        description="The description of the source this table belongs to"
    )
    source_name = graphene.String(description="The name of the source this table belongs to")
    tests = graphene.List(
        graphene.NonNull(lambda: TestDefinitionNestedNode),
        required=True,
        description="The tests of this node",
    )


class SeedDefinitionNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNode,)
        description = "A seed as the latest manifest defines it"

    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    children = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        description="The nodes that depend directly on this node",
    )
    database = graphene.String(description="The database of the relation")
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    fqn = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The fully qualified name of this node",
    )
    job_definition_id = BigInt(
        description=(
            "The job id of the run that produced the definition, when Lantern holds that run"
        )
    )
    package_name = graphene.String(description="The dbt package that defines this node")
    patch_path = graphene.String(description="The YAML file that documents this node")
    run_id = BigInt(
        description=(
            "The run id: the dbt Cloud run id when known, else Lantern's id of the loaded run"
        )
    )
    schema = graphene.String(description="The schema of the relation")


class SnapshotDefinitionNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNode,)
        description = "A snapshot as the latest manifest defines it"

    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    children = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        description="The nodes that depend directly on this node",
    )
    database = graphene.String(description="The database of the relation")
    fqn = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The fully qualified name of this node",
    )
    job_definition_id = BigInt(
        description=(
            "The job id of the run that produced the definition, when Lantern holds that run"
        )
    )
    package_name = graphene.String(description="The dbt package that defines this node")
    parents = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        description="The nodes this node depends on directly",
    )
    patch_path = graphene.String(description="The YAML file that documents this node")
    raw_code = graphene.String(description="The code of this node as written")
    run_id = BigInt(
        description=(
            "The run id: the dbt Cloud run id when known, else Lantern's id of the loaded run"
        )
    )
    schema = graphene.String(description="The schema of the relation")


class TestDefinitionNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNode,)
        description = "The definition state of a test"

    column_name = graphene.String(description="The column the test tests, if any")
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    event_status = JSONObject(
        required=True,
        description="The event status of a unit test (Lantern does not know: null or empty)",
    )
    expect = JSONObject(required=True, description="The expected output of a unit test")
    fqn = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The fully qualified name of this node",
    )
    given = graphene.List(
        graphene.NonNull(JSONObject), required=True, description="The inputs of a unit test"
    )
    job_definition_id = BigInt(
        description=(
            "The job id of the run that produced the definition, when Lantern holds that run"
        )
    )
    model = graphene.String(description="The model a unit test tests")
    num_expect_rows = graphene.Int(description="The number of expected rows of a unit test")
    num_given = graphene.Int(description="The number of inputs of a unit test")
    num_given_rows = graphene.Int(description="The number of rows over all inputs of a unit test")
    overrides = JSONObject(
        required=True, description="The overrides of a unit test (macros, vars, env vars)"
    )
    parents = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        description="The nodes this node depends on directly",
    )
    patch_path = graphene.String(description="The YAML file that documents this node")
    raw_code = graphene.String(description="The code of this node as written")
    resource = graphene.String(
        required=True, description="The resource type of this test: test or unit_test"
    )
    run_id = BigInt(
        description=(
            "The run id: the dbt Cloud run id when known, else Lantern's id of the loaded run"
        )
    )
    test_type = TestType(
        description="The kind of test: generic data test, singular data test or unit test"
    )
    tested_node_unique_id = graphene.String(description="The unique id of the node the test tests")
    this_input_node_unique_id = graphene.String(
        description=(
            "The unique id of the node whose `this` a unit test overrides (Lantern does not know: "
            "null)"
        )
    )


class ExposureDefinitionNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNode,)
        description = "An exposure as the latest manifest defines it"

    ancestors = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        description="Every node upstream of this node, of the given types",
    )
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    exposure_type = graphene.String(
        description="The type of this exposure: dashboard, notebook, analysis, ml, application"
    )
    fqn = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The fully qualified name of this node",
    )
    freshness_status = FreshnessStatus(
        description="The worst freshness status of the sources upstream of this exposure"
    )
    label = graphene.String(description="The human-friendly name of this node")
    manifest_generated_at = DateTime(
        description="When the manifest holding this node was generated"
    )
    maturity = graphene.String(description="The maturity of this exposure: high, medium or low")
    owner_email = graphene.String(description="The email of the owner")
    owner_name = graphene.String(description="The name of the owner")
    package_name = graphene.String(description="The dbt package that defines this node")
    parents = graphene.List(
        graphene.NonNull(EnvironmentDefinitionNestedNode),
        required=True,
        description="The nodes this node depends on directly",
    )
    patch_path = graphene.String(description="The YAML file that documents this node")
    url = graphene.String(description="The URL of this exposure")


class GroupNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNode,)
        description = "A group of models, with its owner"

    job_id = BigInt(
        description=(
            "The job id: the dbt Cloud job id of the run when known, else the environment's id "
            "(one job per environment)"
        )
    )
    model_count = graphene.Int(required=True, description="The number of models in this group")
    models = graphene.List(
        graphene.NonNull(lambda: ModelDefinitionNestedNode),
        required=True,
        description="The models of this group",
    )
    owner_email = graphene.String(description="The email of the owner")
    owner_name = graphene.String(description="The name of the owner")
    package_name = graphene.String(description="The dbt package that defines this node")
    run_id = BigInt(
        description=(
            "The run id: the dbt Cloud run id when known, else Lantern's id of the loaded run"
        )
    )


class ModelDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNestedNode,)
        description = "A model related to a definition node"

    access = graphene.String(
        description="The access level of this model: private, protected or public"
    )
    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    contract_enforced = graphene.Boolean(description="Whether the model's contract is enforced")
    database = graphene.String(description="The database of the relation")
    group = graphene.String(description="The group this node belongs to")
    job_definition_id = BigInt(
        description=(
            "The job id of the run that produced the definition, when Lantern holds that run"
        )
    )
    latest_version = graphene.String(
        description="The latest version of this model, when it is versioned"
    )
    materialized_type = graphene.String(
        description="How the node is materialized: table, view, incremental, ephemeral, ..."
    )
    package_name = graphene.String(description="The dbt package that defines this node")
    patch_path = graphene.String(description="The YAML file that documents this node")
    release_version = ReleaseVersion(
        description="Whether this version of the model is the latest, a prerelease or an old one"
    )
    run_id = BigInt(
        description=(
            "The run id: the dbt Cloud run id when known, else Lantern's id of the loaded run"
        )
    )
    schema = graphene.String(description="The schema of the relation")
    version = graphene.String(description="The version of this model, when it is versioned")


class SourceDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNestedNode,)
        description = "A source related to a definition node"

    database = graphene.String(description="The database of the relation")
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    identifier = graphene.String(description="The name of the table or view in the warehouse")
    loader = graphene.String(description="The tool that loads this source")
    patch_path = graphene.String(description="The YAML file that documents this node")
    schema = graphene.String(description="The schema of the relation")
    source_description = graphene.String(
        description="The description of the source this table belongs to"
    )
    source_name = graphene.String(description="The name of the source this table belongs to")


class SeedDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNestedNode,)
        description = "A seed related to a definition node"

    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    database = graphene.String(description="The database of the relation")
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    job_definition_id = BigInt(
        description=(
            "The job id of the run that produced the definition, when Lantern holds that run"
        )
    )
    package_name = graphene.String(description="The dbt package that defines this node")
    patch_path = graphene.String(description="The YAML file that documents this node")
    run_id = BigInt(
        description=(
            "The run id: the dbt Cloud run id when known, else Lantern's id of the loaded run"
        )
    )
    schema = graphene.String(description="The schema of the relation")


class SnapshotDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNestedNode,)
        description = "A snapshot related to a definition node"

    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    database = graphene.String(description="The database of the relation")
    job_definition_id = BigInt(
        description=(
            "The job id of the run that produced the definition, when Lantern holds that run"
        )
    )
    package_name = graphene.String(description="The dbt package that defines this node")
    patch_path = graphene.String(description="The YAML file that documents this node")
    run_id = BigInt(
        description=(
            "The run id: the dbt Cloud run id when known, else Lantern's id of the loaded run"
        )
    )
    schema = graphene.String(description="The schema of the relation")


class TestDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNestedNode,)
        description = "A test related to a definition node"

    column_name = graphene.String(description="The column the test tests, if any")
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    job_definition_id = BigInt(
        description=(
            "The job id of the run that produced the definition, when Lantern holds that run"
        )
    )
    patch_path = graphene.String(description="The YAML file that documents this node")
    run_id = BigInt(
        description=(
            "The run id: the dbt Cloud run id when known, else Lantern's id of the loaded run"
        )
    )
    test_type = TestType(
        description="The kind of test: generic data test, singular data test or unit test"
    )


class ExposureDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNestedNode,)
        description = "An exposure related to a definition node"

    dbt_version = graphene.String(description="The version of dbt that produced this node")
    exposure_type = graphene.String(
        description="The type of this exposure: dashboard, notebook, analysis, ml, application"
    )
    label = graphene.String(description="The human-friendly name of this node")
    manifest_generated_at = DateTime(
        description="When the manifest holding this node was generated"
    )
    maturity = graphene.String(description="The maturity of this exposure: high, medium or low")
    owner_email = graphene.String(description="The email of the owner")
    owner_name = graphene.String(description="The name of the owner")
    package_name = graphene.String(description="The dbt package that defines this node")
    patch_path = graphene.String(description="The YAML file that documents this node")
    url = graphene.String(description="The URL of this exposure")

"""Applied-state node types: top-level, nested, exposure tiles and other projects' models."""

from __future__ import annotations

import graphene

from catalog.graphql.enums import (
    AncestorNodeType,
    AutoExposureBIProvider,
    ExposureHealthIssueType,
    FreshnessStatus,
    Quality,
    ReleaseVersion,
    TestStatus,
    TestType,
)
from catalog.graphql.scalars import BigInt, DateTime, JSONObject
from catalog.graphql.types.base import ObjectType
from catalog.graphql.types.common import (
    CatalogNode,
    ModelExecutionInfoNode,
    ModelLevelConstraint,
    ModelVersion,
    SeedExecutionInfoNode,
    SnapshotExecutionInfoNode,
    SourceFreshnessNode,
    TestExecutionInfoNode,
    TestMetadata,
)
from catalog.graphql.types.interfaces import (
    EnvironmentAppliedNestedNode,
    EnvironmentAppliedNode,
    EnvironmentDefinitionNestedNode,
)


class ModelAppliedStateNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNode,)
        description = "A model of the applied state: its definition, latest execution and catalog"

    access = graphene.String(
        description="The access level of this model: private, protected or public"
    )
    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    ancestors = graphene.List(
        graphene.NonNull(EnvironmentAppliedNestedNode),
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
    catalog = graphene.Field(
        CatalogNode,
        description=(
            "What the warehouse says about the relation (catalog.json), when docs were generated"
        ),
    )
    children = graphene.List(
        graphene.NonNull(EnvironmentAppliedNestedNode),
        required=True,
        description="The nodes that depend directly on this node",
    )
    compiled_code = graphene.String(
        description="The compiled code of this node, from the latest manifest"
    )
    config = JSONObject(description="The node's dbt config")
    constraints = graphene.List(
        graphene.NonNull(ModelLevelConstraint),
        required=True,
        description="The model-level constraints of this model",
    )
    contract_enforced = graphene.Boolean(description="Whether the model's contract is enforced")
    database = graphene.String(description="The database of the relation")
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    deprecation_date = DateTime(description="The date after which this model is deprecated")
    execution_info = graphene.Field(
        ModelExecutionInfoNode,
        description="How this node was last executed: the last attempt and the last success",
    )
    fqn = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The fully qualified name of this node",
    )
    group = graphene.String(description="The group this node belongs to")
    is_description_inherited = graphene.Boolean(
        description=(
            "Whether the description is inherited from another node (Lantern does not know: always"
            " null)"
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
        graphene.NonNull(EnvironmentAppliedNestedNode),
        required=True,
        description="The nodes this node depends on directly",
    )
    patch_path = graphene.String(description="The YAML file that documents this node")
    raw_code = graphene.String(description="The code of this node as written")
    release_version = ReleaseVersion(
        description="Whether this version of the model is the latest, a prerelease or an old one"
    )
    schema = graphene.String(description="The schema of the relation")
    tests = graphene.List(
        graphene.NonNull(lambda: TestAppliedStateNestedNode),
        required=True,
        description="The tests of this node",
    )
    version = graphene.String(description="The version of this model, when it is versioned")
    versions = graphene.List(
        graphene.NonNull(ModelVersion), required=True, description="Every version of this model"
    )
    relation_name = graphene.String(
        description="The fully qualified relation name in the warehouse"
    )


class SourceAppliedStateNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNode,)
        description = "A source of the applied state: its definition, freshness and catalog"

    catalog = graphene.Field(
        CatalogNode,
        description=(
            "What the warehouse says about the relation (catalog.json), when docs were generated"
        ),
    )
    children = graphene.List(
        graphene.NonNull(EnvironmentAppliedNestedNode),
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
    freshness = graphene.Field(
        SourceFreshnessNode, required=True, description="The source freshness of this source"
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
        graphene.NonNull(lambda: TestAppliedStateNestedNode),
        required=True,
        description="The tests of this node",
    )


class SeedAppliedStateNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNode,)
        description = "A seed of the applied state: its definition, latest execution and catalog"

    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    catalog = graphene.Field(
        CatalogNode,
        description=(
            "What the warehouse says about the relation (catalog.json), when docs were generated"
        ),
    )
    children = graphene.List(
        graphene.NonNull(EnvironmentAppliedNestedNode),
        required=True,
        description="The nodes that depend directly on this node",
    )
    database = graphene.String(description="The database of the relation")
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    execution_info = graphene.Field(
        SeedExecutionInfoNode,
        required=True,
        description="How this node was last executed: the last attempt and the last success",
    )
    fqn = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The fully qualified name of this node",
    )
    package_name = graphene.String(description="The dbt package that defines this node")
    patch_path = graphene.String(description="The YAML file that documents this node")
    schema = graphene.String(description="The schema of the relation")
    tests = graphene.List(
        graphene.NonNull(lambda: TestAppliedStateNestedNode),
        required=True,
        description="The tests of this node",
    )


class SnapshotAppliedStateNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNode,)
        description = (
            "A snapshot of the applied state: its definition, latest execution and catalog"
        )

    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    catalog = graphene.Field(
        CatalogNode,
        description=(
            "What the warehouse says about the relation (catalog.json), when docs were generated"
        ),
    )
    children = graphene.List(
        graphene.NonNull(EnvironmentAppliedNestedNode),
        required=True,
        description="The nodes that depend directly on this node",
    )
    compiled_code = graphene.String(
        description="The compiled code of this node, from the latest manifest"
    )
    config = JSONObject(description="The node's dbt config")
    database = graphene.String(description="The database of the relation")
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    execution_info = graphene.Field(
        SnapshotExecutionInfoNode,
        description="How this node was last executed: the last attempt and the last success",
    )
    fqn = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The fully qualified name of this node",
    )
    package_name = graphene.String(description="The dbt package that defines this node")
    parents = graphene.List(
        graphene.NonNull(EnvironmentAppliedNestedNode),
        required=True,
        description="The nodes this node depends on directly",
    )
    patch_path = graphene.String(description="The YAML file that documents this node")
    raw_code = graphene.String(description="The code of this node as written")
    schema = graphene.String(description="The schema of the relation")
    tests = graphene.List(
        graphene.NonNull(lambda: TestAppliedStateNestedNode),
        required=True,
        description="The tests of this node",
    )


class TestAppliedStateNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNode,)
        description = "The definition state of a test"

    column_name = graphene.String(description="The column the test tests, if any")
    compiled_code = graphene.String(
        description="The compiled code of this node, from the latest manifest"
    )
    config = JSONObject(description="The node's dbt config")
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    event_status = JSONObject(
        description="The event status of a unit test (Lantern does not know: null or empty)"
    )
    execution_info = graphene.Field(
        TestExecutionInfoNode,
        required=True,
        description="How this node was last executed: the last attempt and the last success",
    )
    expect = JSONObject(description="The expected output of a unit test")
    fqn = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The fully qualified name of this node",
    )
    given = graphene.List(graphene.NonNull(JSONObject), description="The inputs of a unit test")
    model = graphene.String(description="The model a unit test tests")
    num_expect_rows = graphene.Int(description="The number of expected rows of a unit test")
    num_given = graphene.Int(description="The number of inputs of a unit test")
    num_given_rows = graphene.Int(description="The number of rows over all inputs of a unit test")
    overrides = JSONObject(description="The overrides of a unit test (macros, vars, env vars)")
    parents = graphene.List(
        graphene.NonNull(EnvironmentAppliedNestedNode),
        required=True,
        description="The nodes this node depends on directly",
    )
    patch_path = graphene.String(description="The YAML file that documents this node")
    raw_code = graphene.String(description="The code of this node as written")
    test_metadata = graphene.Field(
        TestMetadata,
        required=True,
        description="The generic test this test instantiates, and its arguments",
    )
    test_type = TestType(
        required=True,
        description="The kind of test: generic data test, singular data test or unit test",
    )
    tested_node_unique_id = graphene.String(description="The unique id of the node the test tests")
    this_input_node_unique_id = graphene.String(
        description=(
            "The unique id of the node whose `this` a unit test overrides (Lantern does not know: "
            "null)"
        )
    )
    last_known_result = TestStatus(description="The status of the latest execution of this test")


class ExposureAppliedStateNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNode,)
        description = "An exposure of the applied state"

    ancestors = graphene.List(
        graphene.NonNull(EnvironmentAppliedNestedNode),
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
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    exposure_type = graphene.String(
        description="The type of this exposure: dashboard, notebook, analysis, ml, application"
    )
    fqn = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The fully qualified name of this node",
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
        graphene.NonNull(EnvironmentAppliedNestedNode),
        required=True,
        description="The nodes this node depends on directly",
    )
    patch_path = graphene.String(description="The YAML file that documents this node")
    url = graphene.String(description="The URL of this exposure")


class ExposureTileNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNode,)
        description = "An exposure with the health of everything upstream of it"

    auto_bi_provider = AutoExposureBIProvider(
        description="The BI tool of an automatically discovered exposure (Lantern has none: null)"
    )
    exposure_type = graphene.String(
        description="The type of this exposure: dashboard, notebook, analysis, ml, application"
    )
    freshness_status = FreshnessStatus(
        description="The worst freshness status of the sources upstream of this exposure"
    )
    health_issues = graphene.List(
        graphene.NonNull(ExposureHealthIssueType),
        required=True,
        description="What is wrong upstream of this exposure",
    )
    max_snapshotted_at = DateTime(
        description="When the freshness of the sources upstream of this exposure was last checked"
    )
    package_name = graphene.String(description="The dbt package that defines this node")
    quality = Quality(description="The worst test result of the models upstream of this exposure")
    upstream_stats = JSONObject(
        description="Counts of the nodes upstream of this exposure, by kind and status"
    )


class ModelAppliedStateNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNestedNode,)
        description = "A model related to an applied node"

    access = graphene.String(
        description="The access level of this model: private, protected or public"
    )
    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    contract_enforced = graphene.Boolean(description="Whether the model's contract is enforced")
    database = graphene.String(description="The database of the relation")
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    execution_info = graphene.Field(
        ModelExecutionInfoNode,
        description="How this node was last executed: the last attempt and the last success",
    )
    group = graphene.String(description="The group this node belongs to")
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
    patch_path = graphene.String(description="The YAML file that documents this node")
    release_version = ReleaseVersion(
        description="Whether this version of the model is the latest, a prerelease or an old one"
    )
    schema = graphene.String(description="The schema of the relation")
    test_statuses = JSONObject(
        required=True,
        description=(
            'The number of tests of this node by their last status, e.g. {"pass": 3, "fail": 1}'
        ),
    )
    version = graphene.String(description="The version of this model, when it is versioned")


class SourceAppliedStateNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNestedNode,)
        description = "A source related to an applied node"

    database = graphene.String(description="The database of the relation")
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    freshness = graphene.Field(
        SourceFreshnessNode, required=True, description="The source freshness of this source"
    )
    identifier = graphene.String(description="The name of the table or view in the warehouse")
    loader = graphene.String(description="The tool that loads this source")
    patch_path = graphene.String(description="The YAML file that documents this node")
    schema = graphene.String(description="The schema of the relation")
    source_description = graphene.String(
        description="The description of the source this table belongs to"
    )
    source_name = graphene.String(description="The name of the source this table belongs to")
    test_statuses = JSONObject(
        required=True,
        description=(
            'The number of tests of this node by their last status, e.g. {"pass": 3, "fail": 1}'
        ),
    )


class SeedAppliedStateNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNestedNode,)
        description = "A seed related to an applied node"

    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    database = graphene.String(description="The database of the relation")
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    execution_info = graphene.Field(
        SeedExecutionInfoNode,
        required=True,
        description="How this node was last executed: the last attempt and the last success",
    )
    package_name = graphene.String(description="The dbt package that defines this node")
    patch_path = graphene.String(description="The YAML file that documents this node")
    schema = graphene.String(description="The schema of the relation")


class SnapshotAppliedStateNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNestedNode,)
        description = "A snapshot related to an applied node"

    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    database = graphene.String(description="The database of the relation")
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    execution_info = graphene.Field(
        SnapshotExecutionInfoNode,
        description="How this node was last executed: the last attempt and the last success",
    )
    package_name = graphene.String(description="The dbt package that defines this node")
    patch_path = graphene.String(description="The YAML file that documents this node")
    schema = graphene.String(description="The schema of the relation")


class TestAppliedStateNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNestedNode,)
        description = "A test related to an applied node"

    column_name = graphene.String(description="The column the test tests, if any")
    dbt_version = graphene.String(description="The version of dbt that produced this node")
    execution_info = graphene.Field(
        TestExecutionInfoNode,
        required=True,
        description="How this node was last executed: the last attempt and the last success",
    )
    patch_path = graphene.String(description="The YAML file that documents this node")
    test_metadata = graphene.Field(
        TestMetadata,
        required=True,
        description="The generic test this test instantiates, and its arguments",
    )
    test_type = TestType(
        required=True,
        description="The kind of test: generic data test, singular data test or unit test",
    )
    last_known_result = TestStatus(description="The status of the latest execution of this test")


class ExposureAppliedStateNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNestedNode,)
        description = "An exposure related to an applied node"

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


class ExternalModelNode(ObjectType):
    class Meta:
        interfaces = (
            EnvironmentAppliedNestedNode,
            EnvironmentDefinitionNestedNode,
        )
        description = (
            "A model of another dbt project that a node refers to (dbt Mesh), known by its id"
        )

    account_id = BigInt(
        required=True,
        description=(
            "The dbt Cloud account id of the environment when it syncs from dbt Cloud, else 0"
        ),
    )
    database = graphene.String(description="The database of the relation")
    dbt_project_name = graphene.String(description="The name of the dbt project of the environment")
    environment_id = BigInt(
        required=True,
        description=(
            "The id of the environment (Lantern's environment ids stand for dbt Cloud environment "
            "ids)"
        ),
    )
    identifier = graphene.String(description="The name of the table or view in the warehouse")
    latest_version = graphene.String(
        description="The latest version of this model, when it is versioned"
    )
    meta = JSONObject(
        description="The key-value store of metadata of this node (meta and config.meta)"
    )
    package_name = graphene.String(description="The dbt package that defines this node")
    patch_path = graphene.String(description="The YAML file that documents this node")
    project_id = BigInt(
        required=True,
        description=(
            "The id of the dbt project: its dbt Cloud project id when known, else Lantern's "
            "project id"
        ),
    )
    relation_name = graphene.String(
        description="The fully qualified relation name in the warehouse"
    )
    release_version = ReleaseVersion(
        description="Whether this version of the model is the latest, a prerelease or an old one"
    )
    schema = graphene.String(description="The schema of the relation")
    tags = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="The tags of this node"
    )
    version = graphene.String(description="The version of this model, when it is versioned")

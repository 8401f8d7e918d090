"""Applied-state node types: top-level, nested, exposure tiles and other projects' models."""

from __future__ import annotations

import graphene

from catalog.graphql.enums import (
    AutoExposureBIProvider,
    ExposureHealthIssueType,
    Quality,
)
from catalog.graphql.scalars import DateTime, JSONObject
from catalog.graphql.types import fields
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


def _catalog() -> graphene.Field:
    return graphene.Field(
        CatalogNode,
        description=(
            "What the warehouse says about the relation (catalog.json), when docs were generated"
        ),
    )


def _freshness() -> graphene.Field:
    return graphene.Field(
        SourceFreshnessNode, required=True, description="The source freshness of this source"
    )


def _test_metadata() -> graphene.Field:
    return graphene.Field(
        TestMetadata,
        required=True,
        description="The generic test this test instantiates, and its arguments",
    )


def _tests() -> graphene.List:
    return fields.tests(lambda: TestAppliedStateNestedNode)


class ModelAppliedStateNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNode,)
        description = "A model of the applied state: its definition, latest execution and catalog"

    access = fields.access()
    alias = fields.alias()
    ancestors = fields.ancestors(EnvironmentAppliedNestedNode, types_argument=True)
    catalog = _catalog()
    children = fields.children(EnvironmentAppliedNestedNode)
    compiled_code = fields.compiled_code()
    config = fields.config()
    constraints = graphene.List(
        graphene.NonNull(ModelLevelConstraint),
        required=True,
        description="The model-level constraints of this model",
    )
    contract_enforced = fields.contract_enforced()
    database = fields.database()
    dbt_version = fields.dbt_version()
    deprecation_date = fields.deprecation_date()
    execution_info = fields.execution_info(ModelExecutionInfoNode)
    fqn = fields.fqn(required=True)
    group = fields.group()
    is_description_inherited = graphene.Boolean(
        description=(
            "Whether the description is inherited from another node (Lantern does not know: always"
            " null)"
        )
    )
    language = fields.language()
    latest_version = fields.latest_version()
    materialized_type = fields.materialized_type()
    modeling_layer = fields.modeling_layer()
    package_name = fields.package_name()
    packages = fields.packages(required=True)
    parents = fields.parents(EnvironmentAppliedNestedNode)
    patch_path = fields.patch_path()
    raw_code = fields.raw_code()
    release_version = fields.release_version()
    schema = fields.schema()
    tests = _tests()
    version = fields.version()
    versions = graphene.List(
        graphene.NonNull(ModelVersion), required=True, description="Every version of this model"
    )
    relation_name = fields.relation_name()


class SourceAppliedStateNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNode,)
        description = "A source of the applied state: its definition, freshness and catalog"

    catalog = _catalog()
    children = fields.children(EnvironmentAppliedNestedNode)
    database = fields.database()
    dbt_version = fields.dbt_version()
    fqn = fields.fqn(required=True)
    freshness = _freshness()
    identifier = fields.identifier()
    loader = fields.loader()
    patch_path = fields.patch_path()
    schema = fields.schema()
    source_description = fields.source_description()
    source_name = fields.source_name()
    tests = _tests()


class SeedAppliedStateNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNode,)
        description = "A seed of the applied state: its definition, latest execution and catalog"

    alias = fields.alias()
    catalog = _catalog()
    children = fields.children(EnvironmentAppliedNestedNode)
    database = fields.database()
    dbt_version = fields.dbt_version()
    execution_info = fields.execution_info(SeedExecutionInfoNode, required=True)
    fqn = fields.fqn(required=True)
    package_name = fields.package_name()
    patch_path = fields.patch_path()
    schema = fields.schema()
    tests = _tests()


class SnapshotAppliedStateNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNode,)
        description = (
            "A snapshot of the applied state: its definition, latest execution and catalog"
        )

    alias = fields.alias()
    catalog = _catalog()
    children = fields.children(EnvironmentAppliedNestedNode)
    compiled_code = fields.compiled_code()
    config = fields.config()
    database = fields.database()
    dbt_version = fields.dbt_version()
    execution_info = fields.execution_info(SnapshotExecutionInfoNode)
    fqn = fields.fqn(required=True)
    package_name = fields.package_name()
    parents = fields.parents(EnvironmentAppliedNestedNode)
    patch_path = fields.patch_path()
    raw_code = fields.raw_code()
    schema = fields.schema()
    tests = _tests()


class TestAppliedStateNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNode,)
        description = "The definition state of a test"

    column_name = fields.column_name()
    compiled_code = fields.compiled_code()
    config = fields.config()
    dbt_version = fields.dbt_version()
    event_status = fields.event_status()
    execution_info = fields.execution_info(TestExecutionInfoNode, required=True)
    expect = fields.expect()
    fqn = fields.fqn(required=True)
    given = fields.given()
    model = fields.model()
    num_expect_rows = fields.num_expect_rows()
    num_given = fields.num_given()
    num_given_rows = fields.num_given_rows()
    overrides = fields.overrides()
    parents = fields.parents(EnvironmentAppliedNestedNode)
    patch_path = fields.patch_path()
    raw_code = fields.raw_code()
    test_metadata = _test_metadata()
    test_type = fields.test_type(required=True)
    tested_node_unique_id = fields.tested_node_unique_id()
    this_input_node_unique_id = fields.this_input_node_unique_id()
    last_known_result = fields.last_known_result()


class ExposureAppliedStateNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNode,)
        description = "An exposure of the applied state"

    ancestors = fields.ancestors(EnvironmentAppliedNestedNode, types_argument=True)
    dbt_version = fields.dbt_version()
    exposure_type = fields.exposure_type()
    fqn = fields.fqn(required=True)
    label = fields.label()
    manifest_generated_at = fields.manifest_generated_at()
    maturity = fields.maturity()
    owner_email = fields.owner_email()
    owner_name = fields.owner_name()
    package_name = fields.package_name()
    parents = fields.parents(EnvironmentAppliedNestedNode)
    patch_path = fields.patch_path()
    url = fields.url()


class ExposureTileNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNode,)
        description = "An exposure with the health of everything upstream of it"

    auto_bi_provider = AutoExposureBIProvider(
        description="The BI tool of an automatically discovered exposure (Lantern has none: null)"
    )
    exposure_type = fields.exposure_type()
    freshness_status = fields.freshness_status()
    health_issues = graphene.List(
        graphene.NonNull(ExposureHealthIssueType),
        required=True,
        description="What is wrong upstream of this exposure",
    )
    max_snapshotted_at = DateTime(
        description="When the freshness of the sources upstream of this exposure was last checked"
    )
    package_name = fields.package_name()
    quality = Quality(description="The worst test result of the models upstream of this exposure")
    upstream_stats = JSONObject(
        description="Counts of the nodes upstream of this exposure, by kind and status"
    )


class ModelAppliedStateNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNestedNode,)
        description = "A model related to an applied node"

    access = fields.access()
    alias = fields.alias()
    contract_enforced = fields.contract_enforced()
    database = fields.database()
    dbt_version = fields.dbt_version()
    execution_info = fields.execution_info(ModelExecutionInfoNode)
    group = fields.group()
    latest_version = fields.latest_version()
    materialized_type = fields.materialized_type()
    modeling_layer = fields.modeling_layer()
    package_name = fields.package_name()
    patch_path = fields.patch_path()
    release_version = fields.release_version()
    schema = fields.schema()
    test_statuses = fields.test_statuses()
    version = fields.version()


class SourceAppliedStateNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNestedNode,)
        description = "A source related to an applied node"

    database = fields.database()
    dbt_version = fields.dbt_version()
    freshness = _freshness()
    identifier = fields.identifier()
    loader = fields.loader()
    patch_path = fields.patch_path()
    schema = fields.schema()
    source_description = fields.source_description()
    source_name = fields.source_name()
    test_statuses = fields.test_statuses()


class SeedAppliedStateNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNestedNode,)
        description = "A seed related to an applied node"

    alias = fields.alias()
    database = fields.database()
    dbt_version = fields.dbt_version()
    execution_info = fields.execution_info(SeedExecutionInfoNode, required=True)
    package_name = fields.package_name()
    patch_path = fields.patch_path()
    schema = fields.schema()


class SnapshotAppliedStateNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNestedNode,)
        description = "A snapshot related to an applied node"

    alias = fields.alias()
    database = fields.database()
    dbt_version = fields.dbt_version()
    execution_info = fields.execution_info(SnapshotExecutionInfoNode)
    package_name = fields.package_name()
    patch_path = fields.patch_path()
    schema = fields.schema()


class TestAppliedStateNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNestedNode,)
        description = "A test related to an applied node"

    column_name = fields.column_name()
    dbt_version = fields.dbt_version()
    execution_info = fields.execution_info(TestExecutionInfoNode, required=True)
    patch_path = fields.patch_path()
    test_metadata = _test_metadata()
    test_type = fields.test_type(required=True)
    last_known_result = fields.last_known_result()


class ExposureAppliedStateNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentAppliedNestedNode,)
        description = "An exposure related to an applied node"

    dbt_version = fields.dbt_version()
    exposure_type = fields.exposure_type()
    label = fields.label()
    manifest_generated_at = fields.manifest_generated_at()
    maturity = fields.maturity()
    owner_email = fields.owner_email()
    owner_name = fields.owner_name()
    package_name = fields.package_name()
    patch_path = fields.patch_path()
    url = fields.url()


class ExternalModelNode(ObjectType):
    class Meta:
        interfaces = (
            EnvironmentAppliedNestedNode,
            EnvironmentDefinitionNestedNode,
        )
        description = (
            "A model of another dbt project that a node refers to (dbt Mesh), known by its id"
        )

    account_id = fields.account_id()
    database = fields.database()
    dbt_project_name = graphene.String(description="The name of the dbt project of the environment")
    environment_id = fields.environment_id()
    identifier = fields.identifier()
    latest_version = fields.latest_version()
    meta = fields.meta()
    package_name = fields.package_name()
    patch_path = fields.patch_path()
    project_id = fields.project_id()
    relation_name = fields.relation_name()
    release_version = fields.release_version()
    schema = fields.schema()
    tags = fields.tags(required=True)
    version = fields.version()

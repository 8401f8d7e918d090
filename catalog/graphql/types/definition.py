"""Definition-state node types, and the macro, metric, semantic model and saved query
types both states share."""

from __future__ import annotations

import graphene

from catalog.graphql.scalars import BigInt
from catalog.graphql.types import fields
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

# The fields a semantic model and a saved query have at the top level and as a nested node.


def _dimensions() -> graphene.List:
    return graphene.List(
        graphene.NonNull(SemanticModelDimension),
        required=True,
        description="The dimensions of this semantic model",
    )


def _entities() -> graphene.List:
    return graphene.List(
        graphene.NonNull(SemanticModelEntity),
        required=True,
        description="The entities of this semantic model",
    )


def _measures() -> graphene.List:
    return graphene.List(
        graphene.NonNull(SemanticModelMeasure),
        required=True,
        description="The measures of this semantic model",
    )


def _exports() -> graphene.List:
    return graphene.List(
        graphene.NonNull(QueryExports), required=True, description="The exports of this saved query"
    )


def _query_params() -> graphene.Field:
    return graphene.Field(QueryParams, required=True, description="The query of this saved query")


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
    dbt_version = fields.dbt_version()
    job_id = fields.job_id()
    macro_sql = graphene.String(required=True, description="The code of this macro")
    package_name = fields.package_name()
    parents = fields.parents(EnvironmentDefinitionNestedNode)
    patch_path = fields.patch_path()
    run_id = fields.run_id()


class MacroDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (
            EnvironmentAppliedNestedNode,
            EnvironmentDefinitionNestedNode,
        )
        description = "A macro related to a node"

    dbt_version = fields.dbt_version()
    job_id = fields.job_id()
    package_name = fields.package_name()
    patch_path = fields.patch_path()
    run_id = fields.run_id()


class MetricDefinitionNode(ObjectType):
    class Meta:
        interfaces = (
            EnvironmentAppliedNode,
            EnvironmentDefinitionNode,
        )
        description = "A metric of the semantic layer"

    ancestors = fields.ancestors(EnvironmentDefinitionNestedNode)
    children = fields.children(EnvironmentDefinitionNestedNode)
    dbt_version = fields.dbt_version()
    filter = fields.filter()
    formula = fields.formula()
    fqn = fields.fqn(required=True)
    group = fields.group()
    job_definition_id = fields.job_definition_id()
    package_name = fields.package_name()
    parents = fields.parents(EnvironmentDefinitionNestedNode)
    patch_path = fields.patch_path()
    run_id = fields.run_id()
    type = fields.type()
    type_params = fields.type_params()


class MetricDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (
            EnvironmentAppliedNestedNode,
            EnvironmentDefinitionNestedNode,
        )
        description = "A metric related to a node"

    dbt_version = fields.dbt_version()
    filter = fields.filter()
    formula = fields.formula()
    group = fields.group()
    job_definition_id = fields.job_definition_id()
    package_name = fields.package_name()
    patch_path = fields.patch_path()
    run_id = fields.run_id()
    type = fields.type()
    type_params = fields.type_params()


class SemanticModelDefinitionNode(ObjectType):
    class Meta:
        interfaces = (
            EnvironmentAppliedNode,
            EnvironmentDefinitionNode,
        )
        description = "A semantic model"

    ancestors = fields.ancestors(EnvironmentDefinitionNestedNode)
    children = fields.children(EnvironmentDefinitionNestedNode)
    dbt_version = fields.dbt_version()
    dimensions = _dimensions()
    entities = _entities()
    fqn = fields.fqn(required=True)
    job_definition_id = fields.job_definition_id()
    measures = _measures()
    package_name = fields.package_name()
    parents = fields.parents(EnvironmentDefinitionNestedNode)
    patch_path = fields.patch_path()
    run_id = fields.run_id()


class SemanticModelDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (
            EnvironmentAppliedNestedNode,
            EnvironmentDefinitionNestedNode,
        )
        description = "A semantic model related to a node"

    dbt_version = fields.dbt_version()
    dimensions = _dimensions()
    entities = _entities()
    job_definition_id = fields.job_definition_id()
    measures = _measures()
    package_name = fields.package_name()
    patch_path = fields.patch_path()
    run_id = fields.run_id()


class SavedQueryDefinitionNode(ObjectType):
    class Meta:
        interfaces = (
            EnvironmentAppliedNode,
            EnvironmentDefinitionNode,
        )
        description = "A saved query of the semantic layer"

    ancestors = fields.ancestors(EnvironmentDefinitionNestedNode)
    children = fields.children(EnvironmentDefinitionNestedNode)
    dbt_version = fields.dbt_version()
    exports = _exports()
    fqn = fields.fqn(required=True)
    group = fields.group()
    job_definition_id = fields.job_definition_id()
    package_name = fields.package_name()
    parents = fields.parents(EnvironmentDefinitionNestedNode)
    query_params = _query_params()
    run_id = fields.run_id()


class SavedQueryDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (
            EnvironmentAppliedNestedNode,
            EnvironmentDefinitionNestedNode,
        )
        description = "A saved query related to a node"

    dbt_version = fields.dbt_version()
    exports = _exports()
    group = fields.group()
    job_definition_id = fields.job_definition_id()
    package_name = fields.package_name()
    query_params = _query_params()
    run_id = fields.run_id()


class ModelDefinitionNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNode,)
        description = "The definition state of a model"

    access = fields.access()
    alias = fields.alias()
    ancestors = fields.ancestors(EnvironmentDefinitionNestedNode, types_argument=True)
    children = fields.children(EnvironmentDefinitionNestedNode)
    constraints = graphene.List(
        graphene.NonNull(ModelLevelConstraint),
        required=True,
        description="The model-level constraints of this model",
    )
    contract_enforced = fields.contract_enforced()
    database = fields.database()
    deprecation_date = fields.deprecation_date()
    fqn = fields.fqn(required=True)
    group = fields.group()
    job_definition_id = fields.job_definition_id()
    language = fields.language()
    latest_version = fields.latest_version()
    materialized_type = fields.materialized_type()
    modeling_layer = fields.modeling_layer()
    package_name = fields.package_name()
    packages = fields.packages(required=True)
    parents = fields.parents(EnvironmentDefinitionNestedNode)
    patch_path = fields.patch_path()
    raw_code = fields.raw_code()
    release_version = fields.release_version()
    run_id = BigInt(
        description=(
            "The run whose invocation wrote the manifest of this definition, when Lantern holds it"
        )
    )
    schema = fields.schema()
    tests = fields.tests(lambda: TestDefinitionNestedNode)
    version = fields.version()


class SourceDefinitionNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNode,)
        description = "A source as the latest manifest defines it"

    children = fields.children(EnvironmentDefinitionNestedNode)
    database = fields.database()
    dbt_version = fields.dbt_version()
    fqn = fields.fqn(required=True)
    identifier = fields.identifier()
    loader = fields.loader()
    patch_path = fields.patch_path()
    schema = fields.schema()
    source_description = fields.source_description()
    source_name = fields.source_name()
    tests = fields.tests(lambda: TestDefinitionNestedNode)


class SeedDefinitionNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNode,)
        description = "A seed as the latest manifest defines it"

    alias = fields.alias()
    children = fields.children(EnvironmentDefinitionNestedNode)
    database = fields.database()
    dbt_version = fields.dbt_version()
    fqn = fields.fqn(required=True)
    job_definition_id = fields.job_definition_id()
    package_name = fields.package_name()
    patch_path = fields.patch_path()
    run_id = fields.run_id()
    schema = fields.schema()


class SnapshotDefinitionNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNode,)
        description = "A snapshot as the latest manifest defines it"

    alias = fields.alias()
    children = fields.children(EnvironmentDefinitionNestedNode)
    database = fields.database()
    fqn = fields.fqn(required=True)
    job_definition_id = fields.job_definition_id()
    package_name = fields.package_name()
    parents = fields.parents(EnvironmentDefinitionNestedNode)
    patch_path = fields.patch_path()
    raw_code = fields.raw_code()
    run_id = fields.run_id()
    schema = fields.schema()


class TestDefinitionNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNode,)
        description = "The definition state of a test"

    column_name = fields.column_name()
    dbt_version = fields.dbt_version()
    event_status = fields.event_status(required=True)
    expect = fields.expect(required=True)
    fqn = fields.fqn(required=True)
    given = fields.given(required=True)
    job_definition_id = fields.job_definition_id()
    model = fields.model()
    num_expect_rows = fields.num_expect_rows()
    num_given = fields.num_given()
    num_given_rows = fields.num_given_rows()
    overrides = fields.overrides(required=True)
    parents = fields.parents(EnvironmentDefinitionNestedNode)
    patch_path = fields.patch_path()
    raw_code = fields.raw_code()
    resource = graphene.String(
        required=True, description="The resource type of this test: test or unit_test"
    )
    run_id = fields.run_id()
    test_type = fields.test_type(required=False)
    tested_node_unique_id = fields.tested_node_unique_id()
    this_input_node_unique_id = fields.this_input_node_unique_id()


class ExposureDefinitionNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNode,)
        description = "An exposure as the latest manifest defines it"

    ancestors = fields.ancestors(EnvironmentDefinitionNestedNode)
    dbt_version = fields.dbt_version()
    exposure_type = fields.exposure_type()
    fqn = fields.fqn(required=True)
    freshness_status = fields.freshness_status()
    label = fields.label()
    manifest_generated_at = fields.manifest_generated_at()
    maturity = fields.maturity()
    owner_email = fields.owner_email()
    owner_name = fields.owner_name()
    package_name = fields.package_name()
    parents = fields.parents(EnvironmentDefinitionNestedNode)
    patch_path = fields.patch_path()
    url = fields.url()


class GroupNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNode,)
        description = "A group of models, with its owner"

    job_id = fields.job_id()
    model_count = graphene.Int(required=True, description="The number of models in this group")
    models = graphene.List(
        graphene.NonNull(lambda: ModelDefinitionNestedNode),
        required=True,
        description="The models of this group",
    )
    owner_email = fields.owner_email()
    owner_name = fields.owner_name()
    package_name = fields.package_name()
    run_id = fields.run_id()


class ModelDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNestedNode,)
        description = "A model related to a definition node"

    access = fields.access()
    alias = fields.alias()
    contract_enforced = fields.contract_enforced()
    database = fields.database()
    group = fields.group()
    job_definition_id = fields.job_definition_id()
    latest_version = fields.latest_version()
    materialized_type = fields.materialized_type()
    package_name = fields.package_name()
    patch_path = fields.patch_path()
    release_version = fields.release_version()
    run_id = fields.run_id()
    schema = fields.schema()
    version = fields.version()


class SourceDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNestedNode,)
        description = "A source related to a definition node"

    database = fields.database()
    dbt_version = fields.dbt_version()
    identifier = fields.identifier()
    loader = fields.loader()
    patch_path = fields.patch_path()
    schema = fields.schema()
    source_description = fields.source_description()
    source_name = fields.source_name()


class SeedDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNestedNode,)
        description = "A seed related to a definition node"

    alias = fields.alias()
    database = fields.database()
    dbt_version = fields.dbt_version()
    job_definition_id = fields.job_definition_id()
    package_name = fields.package_name()
    patch_path = fields.patch_path()
    run_id = fields.run_id()
    schema = fields.schema()


class SnapshotDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNestedNode,)
        description = "A snapshot related to a definition node"

    alias = fields.alias()
    database = fields.database()
    job_definition_id = fields.job_definition_id()
    package_name = fields.package_name()
    patch_path = fields.patch_path()
    run_id = fields.run_id()
    schema = fields.schema()


class TestDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNestedNode,)
        description = "A test related to a definition node"

    column_name = fields.column_name()
    dbt_version = fields.dbt_version()
    job_definition_id = fields.job_definition_id()
    patch_path = fields.patch_path()
    run_id = fields.run_id()
    test_type = fields.test_type(required=False)


class ExposureDefinitionNestedNode(ObjectType):
    class Meta:
        interfaces = (EnvironmentDefinitionNestedNode,)
        description = "An exposure related to a definition node"

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

"""The interfaces of the Discovery API: environment nodes, job-level nodes, lineage nodes.

Interface fields are declared once here; graphene copies them into the types that implement
them. Which concrete type an object is comes from the object itself (see
catalog.graphql.objects).
"""

from __future__ import annotations

import graphene

from catalog.graphql.enums import ResourceNodeType
from catalog.graphql.scalars import BigInt
from catalog.graphql.types import fields


class CloudArtifactInterface(graphene.Interface):
    class Meta:
        description = (
            "Where a job-level node comes from: account, project, environment, job and run"
        )

    account_id = fields.account_id()
    environment_id = fields.environment_id()
    # Unlike the environment nodes' jobId, never null: a job-level node comes from one run.
    job_id = BigInt(
        required=True,
        description=(
            "The job id: the dbt Cloud job id of the run when known, else the environment's id"
        ),
    )
    project_id = fields.project_id()
    run_id = fields.run_id(required=True)


class NodeInterface(graphene.Interface):
    class Meta:
        description = "A dbt resource as one job run saw it"

    dbt_version = fields.dbt_version()
    description = fields.description()
    meta = fields.meta()
    name = fields.name()
    resource_type = fields.resource_type()
    tags = fields.tags()
    unique_id = fields.unique_id()


class _EnvironmentNodeFields(graphene.Interface):
    """The fields a resource of an environment has in both states."""

    class Meta:
        abstract = True

    account_id = fields.account_id()
    description = fields.description()
    environment_id = fields.environment_id()
    file_path = fields.file_path()
    meta = fields.meta()
    name = fields.name()
    project_id = fields.project_id()
    resource_type = fields.resource_type()
    tags = fields.tags(required=True)
    unique_id = fields.unique_id()


class EnvironmentAppliedNode(_EnvironmentNodeFields):
    class Meta:
        description = "A resource of the environment's applied state"


class EnvironmentAppliedNestedNode(graphene.Interface):
    class Meta:
        description = "A resource related to an applied node (a parent, child, ancestor or test)"

    description = fields.description()
    file_path = fields.file_path()
    fqn = fields.fqn()
    name = fields.name()
    resource_type = fields.resource_type()
    unique_id = fields.unique_id()


class EnvironmentDefinitionNode(_EnvironmentNodeFields):
    class Meta:
        description = "A resource of the environment's definition state (its latest manifest)"

    run_generated_at = fields.run_generated_at()


class EnvironmentDefinitionNestedNode(graphene.Interface):
    class Meta:
        description = "A resource related to a definition node (a parent, child, ancestor or test)"

    description = fields.description()
    file_path = fields.file_path()
    name = fields.name()
    resource_type = fields.resource_type()
    run_generated_at = fields.run_generated_at()
    unique_id = fields.unique_id()


class _LineageFields(graphene.Interface):
    """The fields every lineage interface has (each adds at most one of its own)."""

    class Meta:
        abstract = True

    access = fields.access()
    alias = fields.alias()
    database = fields.database()
    file_path = fields.file_path()
    group = fields.group()
    matches_method = graphene.Boolean(
        description=(
            "Whether the node matched the selector itself (false: reached through a graph operator"
            " such as + or @, or as a test of a selected node)"
        )
    )
    materialization_type = fields.materialized_type()
    name = fields.name()
    parent_ids = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The unique ids of the parents of this node in the environment",
    )
    project_id = fields.project_id()
    public_parent_ids = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The unique ids of parents of this node in other projects",
    )
    resource_type = fields.resource_type(ResourceNodeType)
    schema = fields.schema()
    tags = fields.tags(required=True)
    unique_id = fields.unique_id()
    version = fields.version()


class LineageNode(_LineageFields):
    class Meta:
        description = "A node of the environment's lineage"


class LineageGraphNode(_LineageFields):
    class Meta:
        description = "A lineage node with a fully qualified name"

    fqn = fields.fqn(required=True)


class LineageNodeExecutable(_LineageFields):
    class Meta:
        description = "A lineage node that runs execute"

    last_run_status = fields.last_run_status("model")


class LineageNodeTestable(_LineageFields):
    class Meta:
        description = "A lineage node that tests can test"

    worst_test_status = graphene.String(
        description="The worst status among the latest results of the tests of this node"
    )


class LineageNodeWithParents(_LineageFields):
    class Meta:
        description = "A lineage node that depends on other nodes"

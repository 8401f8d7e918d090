"""The interfaces of the Discovery API: environment nodes, job-level nodes, lineage nodes.

Interface fields are declared once here; graphene copies them into the types that implement
them. Which concrete type an object is comes from the object itself (see
catalog.graphql.objects).
"""

from __future__ import annotations

import graphene

from catalog.graphql.enums import ResourceNodeType
from catalog.graphql.scalars import BigInt, DateTime, JSONObject


class CloudArtifactInterface(graphene.Interface):
    class Meta:
        description = (
            "Where a job-level node comes from: account, project, environment, job and run"
        )

    account_id = BigInt(
        required=True,
        description=(
            "The dbt Cloud account id of the environment when it syncs from dbt Cloud, else 0"
        ),
    )
    environment_id = BigInt(
        required=True,
        description=(
            "The id of the environment (Lantern's environment ids stand for dbt Cloud environment "
            "ids)"
        ),
    )
    job_id = BigInt(
        required=True,
        description=(
            "The job id: the dbt Cloud job id of the run when known, else the environment's id"
        ),
    )
    project_id = BigInt(
        required=True,
        description=(
            "The id of the dbt project: its dbt Cloud project id when known, else Lantern's "
            "project id"
        ),
    )
    run_id = BigInt(
        required=True,
        description=(
            "The run id: the dbt Cloud run id when known, else Lantern's id of the loaded run"
        ),
    )


class NodeInterface(graphene.Interface):
    class Meta:
        description = "A dbt resource as one job run saw it"

    dbt_version = graphene.String(description="The version of dbt that produced this node")
    description = graphene.String(description="The user-supplied description of this node")
    meta = JSONObject(
        description="The key-value store of metadata of this node (meta and config.meta)"
    )
    name = graphene.String(description="The user-supplied name of this node")
    resource_type = graphene.String(
        required=True,
        description=(
            "The resource type of this node, lower case: model, source, seed, snapshot, test, ..."
        ),
    )
    tags = graphene.List(graphene.NonNull(graphene.String), description="The tags of this node")
    unique_id = graphene.String(required=True, description="The unique id of this node")


class EnvironmentAppliedNode(graphene.Interface):
    class Meta:
        description = "A resource of the environment's applied state"

    account_id = BigInt(
        required=True,
        description=(
            "The dbt Cloud account id of the environment when it syncs from dbt Cloud, else 0"
        ),
    )
    description = graphene.String(description="The user-supplied description of this node")
    environment_id = BigInt(
        required=True,
        description=(
            "The id of the environment (Lantern's environment ids stand for dbt Cloud environment "
            "ids)"
        ),
    )
    file_path = graphene.String(
        required=True,
        description="The path of the file that defines this node, relative to the project folder",
    )
    meta = JSONObject(
        description="The key-value store of metadata of this node (meta and config.meta)"
    )
    name = graphene.String(description="The user-supplied name of this node")
    project_id = BigInt(
        required=True,
        description=(
            "The id of the dbt project: its dbt Cloud project id when known, else Lantern's "
            "project id"
        ),
    )
    resource_type = graphene.String(
        required=True,
        description=(
            "The resource type of this node, lower case: model, source, seed, snapshot, test, ..."
        ),
    )
    tags = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="The tags of this node"
    )
    unique_id = graphene.String(required=True, description="The unique id of this node")


class EnvironmentAppliedNestedNode(graphene.Interface):
    class Meta:
        description = "A resource related to an applied node (a parent, child, ancestor or test)"

    description = graphene.String(description="The user-supplied description of this node")
    file_path = graphene.String(
        required=True,
        description="The path of the file that defines this node, relative to the project folder",
    )
    fqn = graphene.List(
        graphene.NonNull(graphene.String), description="The fully qualified name of this node"
    )
    name = graphene.String(description="The user-supplied name of this node")
    resource_type = graphene.String(
        required=True,
        description=(
            "The resource type of this node, lower case: model, source, seed, snapshot, test, ..."
        ),
    )
    unique_id = graphene.String(required=True, description="The unique id of this node")


class EnvironmentDefinitionNode(graphene.Interface):
    class Meta:
        description = "A resource of the environment's definition state (its latest manifest)"

    account_id = BigInt(
        required=True,
        description=(
            "The dbt Cloud account id of the environment when it syncs from dbt Cloud, else 0"
        ),
    )
    description = graphene.String(description="The user-supplied description of this node")
    environment_id = BigInt(
        required=True,
        description=(
            "The id of the environment (Lantern's environment ids stand for dbt Cloud environment "
            "ids)"
        ),
    )
    file_path = graphene.String(
        required=True,
        description="The path of the file that defines this node, relative to the project folder",
    )
    meta = JSONObject(
        description="The key-value store of metadata of this node (meta and config.meta)"
    )
    name = graphene.String(description="The user-supplied name of this node")
    project_id = BigInt(
        required=True,
        description=(
            "The id of the dbt project: its dbt Cloud project id when known, else Lantern's "
            "project id"
        ),
    )
    resource_type = graphene.String(
        required=True,
        description=(
            "The resource type of this node, lower case: model, source, seed, snapshot, test, ..."
        ),
    )
    run_generated_at = DateTime(
        description="When the run (or manifest) that produced this was generated"
    )
    tags = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="The tags of this node"
    )
    unique_id = graphene.String(required=True, description="The unique id of this node")


class EnvironmentDefinitionNestedNode(graphene.Interface):
    class Meta:
        description = "A resource related to a definition node (a parent, child, ancestor or test)"

    description = graphene.String(description="The user-supplied description of this node")
    file_path = graphene.String(
        required=True,
        description="The path of the file that defines this node, relative to the project folder",
    )
    name = graphene.String(description="The user-supplied name of this node")
    resource_type = graphene.String(
        required=True,
        description=(
            "The resource type of this node, lower case: model, source, seed, snapshot, test, ..."
        ),
    )
    run_generated_at = DateTime(
        description="When the run (or manifest) that produced this was generated"
    )
    unique_id = graphene.String(required=True, description="The unique id of this node")


class LineageNode(graphene.Interface):
    class Meta:
        description = "A node of the environment's lineage"

    access = graphene.String(
        description="The access level of this model: private, protected or public"
    )
    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    database = graphene.String(description="The database of the relation")
    file_path = graphene.String(
        required=True,
        description="The path of the file that defines this node, relative to the project folder",
    )
    group = graphene.String(description="The group this node belongs to")
    matches_method = graphene.Boolean(
        description=(
            "Whether the node matched the selector itself (false: reached through a graph operator"
            " such as + or @, or as a test of a selected node)"
        )
    )
    materialization_type = graphene.String(
        description="How the node is materialized: table, view, incremental, ephemeral, ..."
    )
    name = graphene.String(description="The user-supplied name of this node")
    parent_ids = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The unique ids of the parents of this node in the environment",
    )
    project_id = BigInt(
        required=True,
        description=(
            "The id of the dbt project: its dbt Cloud project id when known, else Lantern's "
            "project id"
        ),
    )
    public_parent_ids = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The unique ids of parents of this node in other projects",
    )
    resource_type = ResourceNodeType(
        required=True,
        description=(
            "The resource type of this node, lower case: model, source, seed, snapshot, test, ..."
        ),
    )
    schema = graphene.String(description="The schema of the relation")
    tags = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="The tags of this node"
    )
    unique_id = graphene.String(required=True, description="The unique id of this node")
    version = graphene.String(description="The version of this model, when it is versioned")


class LineageGraphNode(graphene.Interface):
    class Meta:
        description = "A lineage node with a fully qualified name"

    access = graphene.String(
        description="The access level of this model: private, protected or public"
    )
    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    database = graphene.String(description="The database of the relation")
    file_path = graphene.String(
        required=True,
        description="The path of the file that defines this node, relative to the project folder",
    )
    fqn = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The fully qualified name of this node",
    )
    group = graphene.String(description="The group this node belongs to")
    matches_method = graphene.Boolean(
        description=(
            "Whether the node matched the selector itself (false: reached through a graph operator"
            " such as + or @, or as a test of a selected node)"
        )
    )
    materialization_type = graphene.String(
        description="How the node is materialized: table, view, incremental, ephemeral, ..."
    )
    name = graphene.String(description="The user-supplied name of this node")
    parent_ids = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The unique ids of the parents of this node in the environment",
    )
    project_id = BigInt(
        required=True,
        description=(
            "The id of the dbt project: its dbt Cloud project id when known, else Lantern's "
            "project id"
        ),
    )
    public_parent_ids = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The unique ids of parents of this node in other projects",
    )
    resource_type = ResourceNodeType(
        required=True,
        description=(
            "The resource type of this node, lower case: model, source, seed, snapshot, test, ..."
        ),
    )
    schema = graphene.String(description="The schema of the relation")
    tags = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="The tags of this node"
    )
    unique_id = graphene.String(required=True, description="The unique id of this node")
    version = graphene.String(description="The version of this model, when it is versioned")


class LineageNodeExecutable(graphene.Interface):
    class Meta:
        description = "A lineage node that runs execute"

    access = graphene.String(
        description="The access level of this model: private, protected or public"
    )
    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    database = graphene.String(description="The database of the relation")
    file_path = graphene.String(
        required=True,
        description="The path of the file that defines this node, relative to the project folder",
    )
    group = graphene.String(description="The group this node belongs to")
    last_run_status = graphene.String(
        description=(
            "The status of the last run that either succeeded or failed in building this model"
        )
    )
    matches_method = graphene.Boolean(
        description=(
            "Whether the node matched the selector itself (false: reached through a graph operator"
            " such as + or @, or as a test of a selected node)"
        )
    )
    materialization_type = graphene.String(
        description="How the node is materialized: table, view, incremental, ephemeral, ..."
    )
    name = graphene.String(description="The user-supplied name of this node")
    parent_ids = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The unique ids of the parents of this node in the environment",
    )
    project_id = BigInt(
        required=True,
        description=(
            "The id of the dbt project: its dbt Cloud project id when known, else Lantern's "
            "project id"
        ),
    )
    public_parent_ids = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The unique ids of parents of this node in other projects",
    )
    resource_type = ResourceNodeType(
        required=True,
        description=(
            "The resource type of this node, lower case: model, source, seed, snapshot, test, ..."
        ),
    )
    schema = graphene.String(description="The schema of the relation")
    tags = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="The tags of this node"
    )
    unique_id = graphene.String(required=True, description="The unique id of this node")
    version = graphene.String(description="The version of this model, when it is versioned")


class LineageNodeTestable(graphene.Interface):
    class Meta:
        description = "A lineage node that tests can test"

    access = graphene.String(
        description="The access level of this model: private, protected or public"
    )
    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    database = graphene.String(description="The database of the relation")
    file_path = graphene.String(
        required=True,
        description="The path of the file that defines this node, relative to the project folder",
    )
    group = graphene.String(description="The group this node belongs to")
    matches_method = graphene.Boolean(
        description=(
            "Whether the node matched the selector itself (false: reached through a graph operator"
            " such as + or @, or as a test of a selected node)"
        )
    )
    materialization_type = graphene.String(
        description="How the node is materialized: table, view, incremental, ephemeral, ..."
    )
    name = graphene.String(description="The user-supplied name of this node")
    parent_ids = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The unique ids of the parents of this node in the environment",
    )
    project_id = BigInt(
        required=True,
        description=(
            "The id of the dbt project: its dbt Cloud project id when known, else Lantern's "
            "project id"
        ),
    )
    public_parent_ids = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The unique ids of parents of this node in other projects",
    )
    resource_type = ResourceNodeType(
        required=True,
        description=(
            "The resource type of this node, lower case: model, source, seed, snapshot, test, ..."
        ),
    )
    schema = graphene.String(description="The schema of the relation")
    tags = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="The tags of this node"
    )
    unique_id = graphene.String(required=True, description="The unique id of this node")
    version = graphene.String(description="The version of this model, when it is versioned")
    worst_test_status = graphene.String(
        description="The worst status among the latest results of the tests of this node"
    )


class LineageNodeWithParents(graphene.Interface):
    class Meta:
        description = "A lineage node that depends on other nodes"

    access = graphene.String(
        description="The access level of this model: private, protected or public"
    )
    alias = graphene.String(
        description="The name of the relation this node builds in the warehouse"
    )
    database = graphene.String(description="The database of the relation")
    file_path = graphene.String(
        required=True,
        description="The path of the file that defines this node, relative to the project folder",
    )
    group = graphene.String(description="The group this node belongs to")
    matches_method = graphene.Boolean(
        description=(
            "Whether the node matched the selector itself (false: reached through a graph operator"
            " such as + or @, or as a test of a selected node)"
        )
    )
    materialization_type = graphene.String(
        description="How the node is materialized: table, view, incremental, ephemeral, ..."
    )
    name = graphene.String(description="The user-supplied name of this node")
    parent_ids = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The unique ids of the parents of this node in the environment",
    )
    project_id = BigInt(
        required=True,
        description=(
            "The id of the dbt project: its dbt Cloud project id when known, else Lantern's "
            "project id"
        ),
    )
    public_parent_ids = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The unique ids of parents of this node in other projects",
    )
    resource_type = ResourceNodeType(
        required=True,
        description=(
            "The resource type of this node, lower case: model, source, seed, snapshot, test, ..."
        ),
    )
    schema = graphene.String(description="The schema of the relation")
    tags = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="The tags of this node"
    )
    unique_id = graphene.String(required=True, description="The unique id of this node")
    version = graphene.String(description="The version of this model, when it is versioned")

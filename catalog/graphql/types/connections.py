"""The connection and edge types of the environment's paged lists (one pair per node type).

Every connection is `{edges: [XEdge!]!, pageInfo: PageInfo!, totalCount: Int!}` and every edge
`{cursor: String!, node: X!}`; catalog.graphql.pagination.Connection answers them.
"""

from __future__ import annotations

from typing import Any

import graphene

from catalog.graphql.types import applied, definition
from catalog.graphql.types.base import ObjectType
from catalog.graphql.types.common import PageInfo
from catalog.graphql.types.interfaces import EnvironmentAppliedNode, EnvironmentDefinitionNode


def connection(node: Any) -> type[ObjectType]:
    """`<Node>Connection`, with its `<Node>Edge`."""
    name = node._meta.name
    edge = type(
        f"{name}Edge",
        (ObjectType,),
        {
            "Meta": type("Meta", (), {"description": f"A {name} and its cursor"}),
            "cursor": graphene.String(
                required=True, description="The cursor of the node: pass it as `after`"
            ),
            "node": graphene.Field(node, required=True, description="The node"),
        },
    )
    return type(
        f"{name}Connection",
        (ObjectType,),
        {
            "Meta": type("Meta", (), {"description": f"A page of {name}s"}),
            "edges": graphene.List(
                graphene.NonNull(edge), required=True, description="The nodes of the page"
            ),
            "page_info": graphene.Field(
                PageInfo, required=True, description="Where the page stands"
            ),
            "total_count": graphene.Int(
                required=True, description="The number of nodes matching the filter, all pages"
            ),
        },
    )


EnvironmentAppliedNodeConnection = connection(EnvironmentAppliedNode)
EnvironmentDefinitionNodeConnection = connection(EnvironmentDefinitionNode)
ModelAppliedStateNodeConnection = connection(applied.ModelAppliedStateNode)
SourceAppliedStateNodeConnection = connection(applied.SourceAppliedStateNode)
SeedAppliedStateNodeConnection = connection(applied.SeedAppliedStateNode)
SnapshotAppliedStateNodeConnection = connection(applied.SnapshotAppliedStateNode)
TestAppliedStateNodeConnection = connection(applied.TestAppliedStateNode)
ExposureAppliedStateNodeConnection = connection(applied.ExposureAppliedStateNode)
ModelDefinitionNodeConnection = connection(definition.ModelDefinitionNode)
SourceDefinitionNodeConnection = connection(definition.SourceDefinitionNode)
SeedDefinitionNodeConnection = connection(definition.SeedDefinitionNode)
SnapshotDefinitionNodeConnection = connection(definition.SnapshotDefinitionNode)
TestDefinitionNodeConnection = connection(definition.TestDefinitionNode)
ExposureDefinitionNodeConnection = connection(definition.ExposureDefinitionNode)
GroupNodeConnection = connection(definition.GroupNode)
MacroDefinitionNodeConnection = connection(definition.MacroDefinitionNode)
MetricDefinitionNodeConnection = connection(definition.MetricDefinitionNode)
SemanticModelDefinitionNodeConnection = connection(definition.SemanticModelDefinitionNode)
SavedQueryDefinitionNodeConnection = connection(definition.SavedQueryDefinitionNode)

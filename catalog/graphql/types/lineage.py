"""Lineage node types: what `lineage(filter:)` lists."""

from __future__ import annotations

import graphene

from catalog.graphql.types.base import ObjectType
from catalog.graphql.types.interfaces import (
    LineageGraphNode,
    LineageNode,
    LineageNodeExecutable,
    LineageNodeTestable,
    LineageNodeWithParents,
)


class ModelLineageNode(ObjectType):
    class Meta:
        interfaces = (
            LineageGraphNode,
            LineageNode,
            LineageNodeExecutable,
            LineageNodeTestable,
            LineageNodeWithParents,
        )
        description = "A model in a lineage list"

    modeling_layer = graphene.String(
        description=(
            "The modeling layer of this model (staging, intermediate or marts), from its folders "
            "or name"
        )
    )


class SnapshotLineageNode(ObjectType):
    class Meta:
        interfaces = (
            LineageGraphNode,
            LineageNode,
            LineageNodeExecutable,
            LineageNodeTestable,
            LineageNodeWithParents,
        )
        description = "A snapshot in a lineage list"


class SeedLineageNode(ObjectType):
    class Meta:
        interfaces = (
            LineageGraphNode,
            LineageNode,
            LineageNodeExecutable,
            LineageNodeTestable,
        )
        description = "A seed in a lineage list"


class SourceLineageNode(ObjectType):
    class Meta:
        interfaces = (
            LineageGraphNode,
            LineageNode,
            LineageNodeTestable,
        )
        description = "A source in a lineage list"

    # Not in the reference schema: see catalog.graphql.coverage.EXTENSIONS.
    last_run_status = graphene.String(
        description="The status of the node's last run (sources do not run: null)"
    )
    source_name = graphene.String(description="The name of the source this table belongs to")


class TestLineageNode(ObjectType):
    class Meta:
        interfaces = (
            LineageGraphNode,
            LineageNode,
            LineageNodeExecutable,
            LineageNodeWithParents,
        )
        description = "A data test or unit test in a lineage list"


class ExposureLineageNode(ObjectType):
    class Meta:
        interfaces = (
            LineageGraphNode,
            LineageNode,
            LineageNodeWithParents,
        )
        description = "An exposure in a lineage list"


class MetricLineageNode(ObjectType):
    class Meta:
        interfaces = (
            LineageGraphNode,
            LineageNode,
            LineageNodeWithParents,
        )
        description = "A metric in a lineage list"


class SemanticModelLineageNode(ObjectType):
    class Meta:
        interfaces = (
            LineageGraphNode,
            LineageNode,
            LineageNodeWithParents,
        )
        description = "A semantic model in a lineage list"


class SavedQueryLineageNode(ObjectType):
    class Meta:
        interfaces = (
            LineageGraphNode,
            LineageNode,
            LineageNodeWithParents,
        )
        description = "A saved query in a lineage list"


class MacroLineageNode(ObjectType):
    class Meta:
        interfaces = (
            LineageNode,
            LineageNodeWithParents,
        )
        description = "A macro in a lineage list"

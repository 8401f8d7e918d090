"""What of the Discovery API schema Lantern serves, and what it leaves out on purpose.

The reference is tests/fixtures/discovery/reference-schema.graphql, a copy of
shared/discovery-schema/discovery-schema-current.graphql: the schema the Discovery API serves
today, as far as public sources tell (the public fields, and the beta ones clients use).
tests/catalog/graphql/test_schema_compat.py requires Lantern's schema to match it type for
type and field for field, except for what is listed here, with the reason.
"""

from __future__ import annotations

# Schema coordinates of the reference that Lantern does not serve: type names, or
# "Type.field" for a field of a type it serves otherwise.
LEFT_OUT: dict[str, str] = {
    # Beta roots (dbt Cloud's /beta/graphql): their output type names are guessed by the
    # reference, and Lantern holds no data for most of them.
    "Query.account": "beta: dbt Mesh account view (cross-account public models); one Lantern "
    "deployment has no accounts",
    "AccountNode": "beta root Query.account",
    "MeshProject": "beta root Query.account",
    "MeshProjectRef": "beta root Query.account",
    "MeshProjectSummary": "beta root Query.account",
    "PublicModel": "beta root Query.account",
    "PublicModelConnection": "beta root Query.account",
    "PublicModelEdge": "beta root Query.account",
    "PublicModelDependentProject": "beta root Query.account",
    "PublicAncestorModel": "beta root Query.account",
    "PublicModelsFilter": "beta root Query.account",
    "Query.performance": "beta: execution statistics over dates; Lantern's performance pages "
    "serve them, the API shape is guessed by the reference",
    "PerformanceNode": "beta root Query.performance",
    "JobInformation": "beta root Query.performance",
    "ModelExecution": "beta root Query.performance",
    "ModelExecutionsByJob": "beta root Query.performance",
    "ModelExecutionHistoryDay": "beta root Query.performance",
    "JobExecutionCount": "beta root Query.performance",
    "JobExecutionTime": "beta root Query.performance",
    "MostExecutedModel": "beta root Query.performance",
    "LongestExecutedModel": "beta root Query.performance",
    "MostExecutionFailedModel": "beta root Query.performance",
    "MostTestFailedModel": "beta root Query.performance",
    "SortAggregation": "beta root Query.performance",
    "Date": "beta root Query.performance (its only use)",
    "Query.recommendations": "beta: dbt Explorer's project recommendations (rules Lantern does "
    "not evaluate)",
    "RecommendationsNode": "beta root Query.recommendations",
    "RecommendationMetric": "beta root Query.recommendations",
    "RecommendationRule": "beta root Query.recommendations",
    "RecommendationRuleConnection": "beta root Query.recommendations",
    "RecommendationRuleEdge": "beta root Query.recommendations",
    "RuleFilter": "beta root Query.recommendations",
    "AppliedState.searchResults": "beta: search; the reference guesses its output types, and "
    "Lantern's own search (catalog.search) has another ranking and snippet model",
    "SearchQueryFilter": "beta field AppliedState.searchResults",
    "SearchResultConnection": "beta field AppliedState.searchResults",
    "SearchResultEdge": "beta field AppliedState.searchResults",
    "SearchResult": "beta field AppliedState.searchResults",
    "SearchHit": "beta field AppliedState.searchResults",
}

# Fields Lantern serves beyond the reference, with the client that asks for them.
EXTENSIONS: dict[str, str] = {
    "SourceLineageNode.lastRunStatus": "dbt-mcp's get_lineage.gql asks for it on sources; "
    "without it the query fails validation (sources never run: always null)",
}

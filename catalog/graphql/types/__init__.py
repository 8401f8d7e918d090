"""The GraphQL types of the Discovery API, one module per domain.

`interfaces` and `common` (value types) come first; `applied`, `definition`, `lineage` and
`jobs` hold the node types; `connections` the connection and edge types of the paged lists.
The root types (Environment, AppliedState, DefinitionState, Query) are in
catalog.graphql.queries.
"""

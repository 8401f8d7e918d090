"""The dbt Cloud Discovery API, served from Lantern's catalog (graphene-django).

- `types/`: the GraphQL types, field for field as the Discovery API's schema
  (catalog/graphql/schema.graphql is the printed SDL; coverage.py lists what is left out);
- `queries.py`: the root fields and the Environment / AppliedState / DefinitionState types;
- `states.py`, `runs.py`, `dag.py`, `objects.py`: what every field means in Lantern
  (environment states, the job level and run history, lineage, nodes);
- `filters.py`, `pagination.py`: the filter inputs and the paged lists;
- `loaders.py`: the request context and its batch loaders (how the SQL stays flat).

The HTTP transport (authentication, limits, GraphiQL) is views.py.
"""

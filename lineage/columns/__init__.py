"""Column-level lineage: which upstream columns each column of a model is made from, and how.

Three modules, by role (STYLE.md §2.4: the parsing is plain Python, the rest touches the ORM):

- `parse`: sqlglot over one node's compiled SQL and its parents' known columns, to every
  output column's direct upstream columns with the kind of transformation (passthrough,
  rename, transformed, aggregated), or the reason it could not be traced. No Django: it runs
  in worker processes.
- `compute`: an environment's run: what to parse again (input hashes), parsing in two
  processes on large projects, writing the results atomically (lineage.models).
- `queries`: what pages, the CSV export and the GraphQL `column` root read: upstream and
  downstream walks, per-model status, traced columns, inherited descriptions, coverage.

Results are stored per environment in lineage.models (NodeLineage, ColumnLineage, ColumnEdge).
Pages read them through catalog.column_lineage (column pages, model pages, the coverage table
at /env/<id>/column-lineage); the GraphQL `column` root is catalog.graphql.columns.

How it is run: lineage.tasks.column_lineage_task after a load that changed something (on a
worker with Redis, inline without; LANTERN_COLUMN_LINEAGE_AFTER_LOAD=false turns that off), or
`manage.py column_lineage ENV [--full]`. What counts as an upstream column, and how statuses
are decided, is in README.md ("Column-level lineage").
"""

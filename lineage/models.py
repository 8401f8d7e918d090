"""Column-level lineage as last computed for each environment's current snapshot.

Rows refer to nodes by `unique_id` string, as history does (catalog.models): a load rewrites
Node rows, and lineage must not go with them; lineage.columns.compute replaces what changed.

- NodeLineage: one per parsed node (models, seeds, snapshots): status, why, and the hash of
  what the parse read, so a recompute parses only nodes whose input changed.
- ColumnLineage: one per output column of such a node: how it is made, or why it is unknown.
- ColumnEdge: child (node, column) is made from parent (node, column); indexed both ways for
  upstream and downstream walks.
"""

from django.db import models

from catalog.models import Environment


class NodeLineage(models.Model):
    class Status(models.TextChoices):
        PARSED = "parsed"
        PARTIAL = "partial"
        FAILED = "failed"

    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="+")
    unique_id = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices)
    category = models.CharField(max_length=32, blank=True)
    reason = models.TextField(blank=True)
    # md5 of compiled code, language, dialect and every parent's relation and column list.
    input_hash = models.CharField(max_length=32)
    columns_total = models.IntegerField(default=0)
    columns_traced = models.IntegerField(default=0)
    parsed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["environment", "unique_id"], name="nodelineage_unique_in_env"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unique_id}: {self.status}"


class ColumnLineage(models.Model):
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="+")
    unique_id = models.TextField()
    column = models.TextField()
    position = models.IntegerField(default=0)
    kind = models.CharField(max_length=16, blank=True)  # "" when error
    error = models.TextField(blank=True)
    error_category = models.CharField(max_length=32, blank=True)

    class Meta:
        indexes = [models.Index(fields=["environment", "unique_id"], name="collineage_env_uid")]

    def __str__(self) -> str:
        return f"{self.unique_id}.{self.column}"


class ColumnEdge(models.Model):
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="+")
    child_unique_id = models.TextField()
    child_column = models.TextField()
    parent_unique_id = models.TextField()
    parent_column = models.TextField()
    kind = models.CharField(max_length=16)

    class Meta:
        indexes = [
            models.Index(
                fields=["environment", "child_unique_id", "child_column"], name="coledge_child"
            ),
            models.Index(
                fields=["environment", "parent_unique_id", "parent_column"], name="coledge_parent"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.parent_unique_id}.{self.parent_column} -> "
            f"{self.child_unique_id}.{self.child_column}"
        )

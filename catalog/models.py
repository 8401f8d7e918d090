"""The catalog: what Lantern knows about the dbt projects of each environment.

Three kinds of tables live here:

- the current snapshot of each project (Project, Node, Column, Edge), replaced by every load;
- history that only grows (Run, Execution, FreshnessResult, Ingest, NodeChange), kept across
  loads so that run history, freshness trends and "what changed" survive dbt overwriting its
  own files on every invocation;
- and the API tokens of the GraphQL endpoint (ApiToken).

History refers to nodes by `unique_id` string, not by foreign key: a node may leave the project
and come back, and its history must not go with it.

Strings that come from the artifacts are TextFields: dbt sets no length on names, paths or types
(a BigQuery STRUCT type runs to thousands of characters), and PostgreSQL would refuse a value
longer than a varchar's limit. The reader drops the rare resource whose unique_id is too long to
index (ingest.sources.artifacts.MAX_ID_LENGTH).
"""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower


class ResourceType(models.TextChoices):
    MODEL = "model"
    SOURCE = "source"
    SEED = "seed"
    SNAPSHOT = "snapshot"
    TEST = "test"
    UNIT_TEST = "unit_test"
    EXPOSURE = "exposure"
    METRIC = "metric"
    SEMANTIC_MODEL = "semantic_model"
    SAVED_QUERY = "saved_query"
    MACRO = "macro"
    GROUP = "group"
    ANALYSIS = "analysis"
    OPERATION = "operation"
    FUNCTION = "function"


class Environment(models.Model):
    """A place dbt runs (dev, prod, ...). Its id plays the role of a dbt Cloud environment id."""

    class Feed(models.TextChoices):
        ARTIFACTS = "artifacts", "dbt artifacts (ingest command or upload)"
        DBT_CLOUD = "dbt_cloud", "dbt Cloud Discovery API"

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)
    feed = models.CharField(max_length=16, choices=Feed.choices, default=Feed.ARTIFACTS)
    # dbt Cloud: where and how to pull. The token itself is never stored in clear.
    discovery_url = models.URLField(blank=True)
    dbt_account_id = models.BigIntegerField(null=True, blank=True)
    dbt_environment_id = models.BigIntegerField(null=True, blank=True)
    token_env_var = models.CharField(max_length=100, blank=True)
    # Encrypted with ingest.secrets (Fernet, keyed off LANTERN_SECRET_KEY); never shown back.
    token_encrypted = models.TextField(blank=True)
    webhook_secret_encrypted = models.TextField(blank=True)
    # The dbt Cloud jobs whose webhooks trigger a sync ([] = every job of the environment).
    dbt_job_ids = models.JSONField(default=list, blank=True)
    # A cron expression (minute hour day-of-month month day-of-week, UTC) for scheduled syncs,
    # kept in step with a django-celery-beat PeriodicTask by ingest.schedules.
    sync_schedule = models.CharField(max_length=100, blank=True)
    # Bumped by every load that changed the catalog; caches (the lineage DAG, counts) key on it.
    generation = models.PositiveIntegerField(default=0)
    last_loaded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """A dbt project loaded into an environment (several for dbt Mesh setups)."""

    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="projects")
    name = models.TextField()
    # manifest metadata.project_id: an md5 of the project name, stable across runs.
    dbt_project_id = models.TextField(blank=True)
    dbt_cloud_project_id = models.BigIntegerField(null=True, blank=True)
    dbt_version = models.TextField(blank=True)
    adapter_type = models.TextField(blank=True)
    manifest_schema_version = models.TextField(blank=True)
    manifest_generated_at = models.DateTimeField(null=True, blank=True)
    manifest_invocation_id = models.TextField(blank=True)
    catalog_generated_at = models.DateTimeField(null=True, blank=True)
    latest_git_sha = models.TextField(blank=True)
    loaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["environment", "name"], name="project_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Node(models.Model):
    """One dbt resource of the current snapshot: model, source, test, exposure, macro, ..."""

    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="nodes")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="nodes")
    # Identity
    unique_id = models.TextField()
    resource_type = models.TextField(choices=ResourceType.choices)
    name = models.TextField()
    package_name = models.TextField(blank=True)
    fqn = models.JSONField(default=list)
    # The fqn without the resource's own name (and version), "/"-joined: "pkg/marts/finance".
    # What the folder tree and the folder filter of lists browse by.
    folder = models.TextField(blank=True)
    path = models.TextField(blank=True)
    original_file_path = models.TextField(blank=True)
    patch_path = models.TextField(blank=True)
    database = models.TextField(blank=True)
    schema = models.TextField(blank=True)
    # The relation's name in the warehouse: the alias of a model, the identifier of a source.
    alias = models.TextField(blank=True)
    relation_name = models.TextField(blank=True)
    # What it is
    description = models.TextField(blank=True)
    raw_code = models.TextField(blank=True)
    compiled_code = models.TextField(blank=True)
    language = models.TextField(blank=True)
    checksum = models.TextField(blank=True)
    # Config and governance
    materialized = models.TextField(blank=True)
    access = models.TextField(blank=True)
    group_name = models.TextField(blank=True)
    contract_enforced = models.BooleanField(default=False)
    version = models.TextField(blank=True)
    latest_version = models.TextField(blank=True)
    deprecation_date = models.DateTimeField(null=True, blank=True)
    tags = models.JSONField(default=list)
    meta = models.JSONField(default=dict)
    config = models.JSONField(default=dict)
    # Declared owner (exposures, groups), else meta.owner, else the owner of the node's group.
    owner_name = models.TextField(blank=True)
    owner_email = models.TextField(blank=True)
    modeling_layer = models.TextField(blank=True)
    # Sources
    source_name = models.TextField(blank=True)
    # Tests: what they test
    test_type = models.TextField(blank=True)  # generic, singular, unit
    test_name = models.TextField(blank=True)  # not_null, unique, ...
    tested_unique_id = models.TextField(blank=True)
    column_name = models.TextField(blank=True)
    # Everything type-specific (freshness criteria, exposure url, metric params, semantic model
    # entities, unit test given/expect, macro arguments, ...); see ingest.records.NodeRecord.
    data = models.JSONField(default=dict)
    # From catalog.json (the warehouse), when the node was there
    has_catalog = models.BooleanField(default=False)
    catalog_type = models.TextField(blank=True)
    catalog_owner = models.TextField(blank=True)
    catalog_comment = models.TextField(blank=True)
    catalog_rows = models.BigIntegerField(null=True, blank=True)
    catalog_bytes = models.BigIntegerField(null=True, blank=True)
    catalog_stats = models.JSONField(default=dict)
    # Applied state: the loader points these at the latest history rows.
    last_execution = models.ForeignKey(
        "Execution", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_success_execution = models.ForeignKey(
        "Execution", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_freshness = models.ForeignKey(
        "FreshnessResult", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A digest of everything above that came from the artifacts: a load rewrites a node only
    # when it changes, which is what makes re-ingesting an unchanged project cheap.
    content_hash = models.CharField(max_length=32)
    loaded_at = models.DateTimeField()

    class Meta:
        # No default ordering: an ORDER BY unique_id on every query makes SQLite walk the
        # (environment, unique_id) index over the whole environment instead of a selective one.
        constraints = [
            models.UniqueConstraint(fields=["project", "unique_id"], name="node_unique_in_project")
        ]
        indexes = [
            models.Index(fields=["environment", "unique_id"], name="node_env_uid"),
            models.Index(
                fields=["environment", "resource_type", "name"], name="node_env_type_name"
            ),
            models.Index(fields=["environment", "tested_unique_id"], name="node_env_tested"),
            models.Index(fields=["environment", "folder"], name="node_env_folder"),
            # Lists sort by name, case-insensitively, a page at a time.
            models.Index(
                F("environment"),
                F("resource_type"),
                Lower("name"),
                F("unique_id"),
                name="node_env_type_lname",
            ),
        ]

    def __str__(self) -> str:
        return self.unique_id

    @property
    def relation(self) -> str:
        return ".".join(p for p in (self.database, self.schema, self.alias) if p)


class Column(models.Model):
    """A column of a node, merged from its declaration (manifest) and the warehouse (catalog)."""

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="columns")
    name = models.TextField()
    position = models.IntegerField()
    description = models.TextField(blank=True)
    data_type = models.TextField(blank=True)  # declared in YAML
    warehouse_type = models.TextField(blank=True)  # from catalog.json
    warehouse_index = models.IntegerField(null=True, blank=True)
    warehouse_comment = models.TextField(blank=True)
    declared = models.BooleanField(default=False)  # in the manifest (documented in YAML)
    in_warehouse = models.BooleanField(default=False)  # in catalog.json
    tags = models.JSONField(default=list)
    meta = models.JSONField(default=dict)
    constraints = models.JSONField(default=list)
    data = models.JSONField(default=dict)  # quote, granularity, dimension config, ...

    class Meta:
        ordering = ["node", "position"]
        constraints = [
            models.UniqueConstraint(fields=["node", "name"], name="column_unique_in_node")
        ]
        indexes = [
            models.Index(fields=["name"], name="column_name"),
            # Column pages list every column of the same name, whatever its case.
            models.Index(Lower("name"), name="column_lower_name"),
            # A node's column by name, whatever its case (column pages, inherited descriptions).
            models.Index("node", Lower("name"), name="column_node_lower_name"),
        ]

    def __str__(self) -> str:
        return f"{self.node.unique_id}.{self.name}"


class Edge(models.Model):
    """`child` depends on `parent_unique_id` (a node, a macro, or a node of another project)."""

    class Kind(models.TextChoices):
        NODE = "node"
        MACRO = "macro"

    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="parent_edges")
    child_unique_id = models.TextField()
    parent_unique_id = models.TextField()
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.NODE)

    class Meta:
        indexes = [
            models.Index(fields=["environment", "parent_unique_id"], name="edge_env_parent"),
            models.Index(fields=["environment", "child_unique_id"], name="edge_env_child"),
            models.Index(fields=["child"], name="edge_child"),
        ]

    def __str__(self) -> str:
        return f"{self.parent_unique_id} -> {self.child_unique_id}"


class Ingest(models.Model):
    """One load into an environment: what came in, what it changed, how it ended."""

    class Source(models.TextChoices):
        ARTIFACTS = "artifacts", "Artifact files"
        UPLOAD = "upload", "Upload"
        DISCOVERY = "discovery", "dbt Cloud Discovery API"

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"
        # A sync that did not run: another sync of the environment held the lock, or the run
        # it was queued for had been synced already. `error` says which.
        SKIPPED = "skipped"

    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="ingests")
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="ingests"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    # What was asked for: the files and folders to read, and the project name to use.
    paths = models.JSONField(default=list)
    project_name = models.TextField(blank=True)
    # What was found: [{name, kind, schema_version, bytes, skipped: reason?}]
    files = models.JSONField(default=list)
    # {resource type: count, "columns": n, "runs_added": n, "nodes_added": n, ...}
    counts = models.JSONField(default=dict)
    warnings = models.JSONField(default=list)
    error = models.TextField(blank=True)
    # Where it is now, for progress displays: {"phase": "...", "done": n, "total": n}
    progress = models.JSONField(default=dict)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"ingest #{self.pk} ({self.status})"


class NodeChange(models.Model):
    """A node added, removed or modified by an ingest, with a digest of before and after."""

    class Change(models.TextChoices):
        ADDED = "added"
        REMOVED = "removed"
        MODIFIED = "modified"

    ingest = models.ForeignKey(Ingest, on_delete=models.CASCADE, related_name="changes")
    unique_id = models.TextField()
    resource_type = models.TextField()
    change = models.CharField(max_length=8, choices=Change.choices)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["ingest", "change"], name="nodechange_ingest")]

    def __str__(self) -> str:
        return f"{self.change} {self.unique_id}"


class Run(models.Model):
    """One dbt invocation whose results were loaded: a run_results.json or a sources.json."""

    class Kind(models.TextChoices):
        RESULTS = "run_results"
        FRESHNESS = "freshness"

    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="runs")
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    ingest = models.ForeignKey(
        Ingest, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    invocation_id = models.TextField()
    command = models.TextField(blank=True)  # build, run, test, source freshness
    args = models.JSONField(default=dict)
    dbt_version = models.TextField(blank=True)
    schema_version = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    generated_at = models.DateTimeField()
    elapsed_time = models.FloatField(null=True, blank=True)
    # dbt Cloud ids when known (synced, or named on upload)
    job_id = models.BigIntegerField(null=True, blank=True)
    run_id = models.BigIntegerField(null=True, blank=True)
    # {status: count} over the run's results
    status_counts = models.JSONField(default=dict)
    has_errors = models.BooleanField(default=False)

    class Meta:
        ordering = ["-generated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["environment", "kind", "invocation_id"], name="run_unique_invocation"
            )
        ]
        indexes = [models.Index(fields=["environment", "-generated_at"], name="run_env_time")]

    def __str__(self) -> str:
        return f"{self.command or self.kind} {self.invocation_id}"


class Execution(models.Model):
    """One node's result in a run: status, timing, thread, message, failures."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="executions")
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="+")
    unique_id = models.TextField()
    resource_type = models.TextField(blank=True)
    # Lower case, as dbt-core writes it: success, error, skipped, pass, fail, warn, ...
    status = models.TextField()
    generated_at = models.DateTimeField()  # the run's, copied here for "latest of" queries
    thread_id = models.TextField(blank=True)
    execution_time = models.FloatField(null=True, blank=True)
    compile_started_at = models.DateTimeField(null=True, blank=True)
    compile_completed_at = models.DateTimeField(null=True, blank=True)
    execute_started_at = models.DateTimeField(null=True, blank=True)
    execute_completed_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(blank=True)
    failures = models.BigIntegerField(null=True, blank=True)
    rows_affected = models.BigIntegerField(null=True, blank=True)
    adapter_response = models.JSONField(default=dict)
    relation_name = models.TextField(blank=True)
    data = models.JSONField(default=dict)  # batch results of microbatch models, ...

    class Meta:
        ordering = ["-generated_at", "-id"]
        indexes = [
            models.Index(
                fields=["environment", "unique_id", "-generated_at"], name="execution_env_uid"
            ),
            models.Index(fields=["run", "unique_id"], name="execution_run_uid"),
        ]

    def __str__(self) -> str:
        return f"{self.unique_id}: {self.status}"


class FreshnessResult(models.Model):
    """One source's freshness check in a `dbt source freshness` run."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="freshness_results")
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="+")
    unique_id = models.TextField()
    status = models.TextField()  # pass, warn, error, runtime error
    generated_at = models.DateTimeField()
    max_loaded_at = models.DateTimeField(null=True, blank=True)
    snapshotted_at = models.DateTimeField(null=True, blank=True)
    age_seconds = models.FloatField(null=True, blank=True)  # max_loaded_at_time_ago_in_s
    criteria = models.JSONField(default=dict)
    message = models.TextField(blank=True)
    execution_time = models.FloatField(null=True, blank=True)
    thread_id = models.TextField(blank=True)
    adapter_response = models.JSONField(default=dict)

    class Meta:
        ordering = ["-generated_at", "-id"]
        indexes = [
            models.Index(
                fields=["environment", "unique_id", "-generated_at"], name="freshness_env_uid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unique_id}: {self.status}"


class ApiToken(models.Model):
    """A secret that lets a script or tool use the GraphQL endpoint as `user`.

    Only a SHA-256 digest of the token is stored; the token itself is shown once, when
    `manage.py createtoken` makes it. A digest without a salt or a slow hash is enough here: the
    token is 256 random bits, so nobody can guess one from its digest, and a plain digest can be
    looked up by index on every request (a password hash would cost tens of milliseconds each).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for.")
    # The first characters of the token ("lnt_" and 8 more), so a leaked or listed token can be
    # recognised in the admin without storing it.
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Updated at most once a minute: a write per API request would be wasted work.
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or self.user})"

#!/usr/bin/env python3
"""Synthetic dbt project generator for Lantern's benchmarks.

Writes the artifacts dbt-core 1.11 would write for a realistic project of any size:

    manifest.json      schema v12 (key structure copied from real dbt 1.11.8 output)
    catalog.json       schema v1
    sources.json       schema v3 (source freshness results)
    run_results.json   schema v6 (a ``dbt build``), plus run_results_001.json ... for
                       older runs when ``runs`` > 1 (one day apart, going back in time)

Shape: sources -> staging (1:1 views) -> intermediate (refs 1-3) -> marts (fct_/dim_,
tables/incremental, refs 2-5) -> exposures, plus seeds, snapshots, groups/access/contracts,
versioned models, generic + singular + unit tests, semantic models, metrics, saved queries,
project macros and ~475 adapter/package macros.

The compiled SQL is consistent with the catalog, as in a project dbt really built: every column
a model, snapshot or inlined ephemeral CTE reads (select list, joins, filters) is a column of the
relation it reads it from, so lineage/columns/parse.py traces it. One imperfection is kept on
purpose: ~1 in 10 incremental models has 1-3 catalog columns its SQL no longer selects (what
on_schema_change='append_new_columns' leaves behind), so ~2% of the models' lineage is partial.

Usage::

    python bench/synth.py --models 10000 --out /tmp/proj [--runs 3] [--seed 0]

or ``from synth import generate; generate(Path(out), models=1000, runs=2, seed=1)``.

Standard library only.  Output is byte-for-byte deterministic for the same arguments:
nothing depends on the clock, every timestamp derives from the seed.  Files are written
with ``json.dumps`` default separators (", " and ": "), which is what dbt itself writes, so
file sizes are comparable with real artifacts (orjson is deliberately not used: it can only
write compact JSON, which would make the files ~5% smaller than dbt's).
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import json
import math
import random
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

DBT_VERSION = "1.11.8"
MANIFEST_SCHEMA = "https://schemas.getdbt.com/dbt/manifest/v12.json"
CATALOG_SCHEMA = "https://schemas.getdbt.com/dbt/catalog/v1.json"
RUN_RESULTS_SCHEMA = "https://schemas.getdbt.com/dbt/run-results/v6.json"
SOURCES_SCHEMA = "https://schemas.getdbt.com/dbt/sources/v3.json"

# 2026-03-02T06:00:00Z; the seed moves it by whole minutes so different seeds differ.
_BASE_EPOCH = 1772431200

# ---------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------

SYSTEMS = [
    ("stripe", "fivetran"),
    ("shopify", "fivetran"),
    ("salesforce", "fivetran"),
    ("hubspot", "fivetran"),
    ("zendesk", "fivetran"),
    ("netsuite", "fivetran"),
    ("segment", "segment"),
    ("app_db", "airbyte"),
    ("marketo", "fivetran"),
    ("jira", "airbyte"),
    ("workday", "fivetran"),
    ("braze", "airbyte"),
    ("ga4", "fivetran"),
    ("intercom", "airbyte"),
    ("quickbooks", "stitch"),
    ("adyen", "airbyte"),
    ("recurly", "stitch"),
    ("zuora", "fivetran"),
    ("greenhouse", "fivetran"),
    ("lever", "stitch"),
    ("github", "airbyte"),
    ("snowplow", "snowplow"),
    ("mixpanel", "stitch"),
    ("amplitude", "airbyte"),
    ("google_ads", "fivetran"),
    ("facebook_ads", "fivetran"),
    ("linkedin_ads", "fivetran"),
    ("klaviyo", "fivetran"),
    ("mailchimp", "stitch"),
    ("twilio", "airbyte"),
    ("okta", "airbyte"),
    ("sap", "fivetran"),
    ("dynamics", "fivetran"),
    ("xero", "stitch"),
    ("gorgias", "airbyte"),
    ("outreach", "fivetran"),
    ("pendo", "fivetran"),
    ("iterable", "fivetran"),
    ("servicenow", "fivetran"),
    ("bamboohr", "airbyte"),
]
SYSTEM_SUFFIXES = ["eu", "us", "apac", "legacy", "uk", "latam", "v2", "sandbox"]

LOADED_AT = {
    "fivetran": "_fivetran_synced",
    "airbyte": "_airbyte_extracted_at",
    "stitch": "_sdc_batched_at",
    "segment": "received_at",
    "snowplow": "load_tstamp",
}

ENTITIES = (
    "customers orders order_items payments invoices invoice_lines refunds subscriptions plans "
    "products product_variants prices accounts contacts leads opportunities campaigns "
    "campaign_members tickets ticket_comments users sessions events pageviews emails email_events "
    "ad_groups ads ad_stats carts checkouts discounts coupons shipments fulfillments "
    "inventory_levels locations warehouses suppliers purchase_orders employees departments "
    "candidates applications interviews issues sprints projects repositories pull_requests "
    "commits charges disputes balance_transactions payouts transfers ledger_entries "
    "journal_entries gl_accounts vendors bills expenses budgets forecasts quotes contracts "
    "renewals usage_records feature_flags experiments notifications messages conversations calls "
    "meetings tasks notes activities devices app_installs reviews returns claims policies "
    "addresses memberships licenses credits trials workspaces teams roles permissions audits"
).split()

DOMAINS = (
    "finance marketing sales product support operations people supply_chain growth risk logistics "
    "customer_success revenue billing analytics engineering security partnerships procurement "
    "legal merchandising retention pricing fraud payments_ops data_platform brand content "
    "community compliance facilities it treasury tax sustainability research design localization "
    "trust_safety"
).split()

INT_VERBS = (
    "joined enriched aggregated pivoted deduplicated unioned filtered normalized scored bucketed "
    "mapped reconciled sessionized attributed allocated rolled_up windowed flattened classified "
    "ranked"
).split()
QUALIFIERS = (
    "daily weekly monthly by_region by_channel by_product by_account current historical latest "
    "first_touch last_touch snapshot summary rollup detail cohort funnel ltv"
).split()
FCT_GRAINS = [
    "daily",
    "weekly",
    "monthly",
    "hourly",
    "by_region",
    "by_channel",
    "summary",
    "detail",
    "history",
    "cohort",
    "funnel",
    "attribution",
]
DIM_QUALS = [
    "current",
    "history",
    "scd",
    "enriched",
    "hierarchy",
    "mapping",
    "latest",
    "flattened",
    "base",
    "extended",
]

# name:kind.  kinds: id str enum int num float ts date bool
ATTRIBUTES = [
    tuple(x.split(":"))
    for x in (
        "status:enum type:enum name:str email:str first_name:str last_name:str phone:str "
        "country_code:str region:enum city:str postal_code:str currency:enum amount:num "
        "amount_usd:num tax_amount:num discount_amount:num quantity:int unit_price:num "
        "total_price:num cost:num margin:num is_active:bool is_deleted:bool is_test:bool "
        "is_internal:bool created_at:ts updated_at:ts deleted_at:ts closed_at:ts started_at:ts "
        "ended_at:ts due_date:date event_date:date channel:enum utm_source:str utm_campaign:str "
        "plan_tier:enum priority:enum category:str sub_category:str segment:enum industry:str "
        "employee_count:int annual_revenue:num score:float rating:float duration_seconds:int "
        "page_url:str referrer:str device_type:enum browser:str os:str language:str timezone:str "
        "owner_email:str owner_name:str description:str title:str sku:str barcode:str "
        "weight_kg:float lifetime_value:num first_order_at:ts last_order_at:ts order_count:int "
        "days_since_last_order:int churned_at:ts mrr:num arr:num seats:int billing_interval:enum "
        "payment_method:enum card_brand:enum failure_reason:str refund_reason:str "
        "approval_status:enum stage_name:enum probability:float forecast_category:enum "
        "is_won:bool is_closed:bool response_time_minutes:int resolution_time_minutes:int "
        "satisfaction_score:float nps_score:int version:int external_id:str batch_id:str "
        "row_hash:str source_system:str valid_from:ts valid_to:ts fiscal_year:int "
        "fiscal_quarter:str week_start_date:date month_start_date:date net_revenue:num "
        "gross_revenue:num shipping_cost:num is_first_order:bool cohort_month:date "
        "retention_rate:float conversion_rate:float click_count:int impression_count:int "
        "spend_usd:num session_count:int active_days:int"
    ).split()
]

ENUM_VALUES = {
    "status": ["active", "inactive", "pending", "cancelled"],
    "type": ["standard", "premium", "internal"],
    "region": ["amer", "emea", "apac", "latam"],
    "currency": ["usd", "eur", "gbp", "jpy", "aud"],
    "channel": ["organic", "paid_search", "paid_social", "email", "referral", "direct"],
    "plan_tier": ["free", "starter", "pro", "enterprise"],
    "priority": ["low", "normal", "high", "urgent"],
    "segment": ["smb", "mid_market", "enterprise"],
    "device_type": ["desktop", "mobile", "tablet"],
    "billing_interval": ["monthly", "annual"],
    "payment_method": ["card", "ach", "sepa_debit", "wire", "paypal"],
    "card_brand": ["visa", "mastercard", "amex", "discover"],
    "approval_status": ["draft", "submitted", "approved", "rejected"],
    "stage_name": [
        "prospecting",
        "qualification",
        "proposal",
        "negotiation",
        "closed_won",
        "closed_lost",
    ],
    "forecast_category": ["pipeline", "best_case", "commit", "closed", "omitted"],
}

TYPES = {
    "duckdb": {
        "id": "BIGINT",
        "str": "VARCHAR",
        "enum": "VARCHAR",
        "int": "INTEGER",
        "num": "DECIMAL(18,2)",
        "float": "DOUBLE",
        "ts": "TIMESTAMP",
        "date": "DATE",
        "bool": "BOOLEAN",
    },
    "postgres": {
        "id": "bigint",
        "str": "text",
        "enum": "character varying",
        "int": "integer",
        "num": "numeric",
        "float": "double precision",
        "ts": "timestamp without time zone",
        "date": "date",
        "bool": "boolean",
    },
}
DECLARED_TYPES = {
    "id": "bigint",
    "str": "varchar",
    "enum": "varchar",
    "int": "integer",
    "num": "numeric(18,2)",
    "float": "double",
    "ts": "timestamp",
    "date": "date",
    "bool": "boolean",
}

TEAMS = [
    "analytics-engineering",
    "data-platform",
    "finance-data",
    "growth-analytics",
    "revenue-ops",
    "product-analytics",
    "people-analytics",
    "marketing-ops",
]

GROUPS = [
    ("finance", "Finance Data", "finance-data@example.com"),
    ("marketing", "Marketing Analytics", "marketing-analytics@example.com"),
    ("product_analytics", "Product Analytics", "product-analytics@example.com"),
    ("customer_success", "Customer Success Ops", "cs-ops@example.com"),
    ("platform", "Data Platform", "data-platform@example.com"),
]

# Real dbt-core / adapter macro names (names only; bodies are synthesized).  A leading "*"
# means the macro dispatches and has a ``default__`` implementation too.
DBT_MACROS = (
    "*get_create_backup_sql *get_rename_sql *rename_relation *get_create_intermediate_sql "
    "*get_rename_intermediate_sql *get_drop_backup_sql *get_replace_sql *get_create_sql "
    "*get_drop_sql *drop_relation drop_relation_if_exists *drop_schema_named "
    "*get_table_columns_and_constraints table_columns_and_constraints "
    "*get_assert_columns_equivalent assert_columns_equivalent format_columns "
    "default__format_column *get_rename_materialized_view_sql *refresh_materialized_view "
    "*get_alter_materialized_view_as_sql *get_materialized_view_configuration_changes "
    "*get_replace_materialized_view_sql *get_create_materialized_view_as_sql "
    "*drop_materialized_view *get_rename_table_sql *get_replace_table_sql "
    "*get_create_table_as_sql *create_table_as default__get_column_names *get_select_subquery "
    "*drop_table *get_rename_view_sql *get_replace_view_sql create_or_replace_view "
    "*handle_existing_table *get_create_view_as_sql *create_view_as *drop_view "
    "*get_columns_in_relation sql_convert_columns_in_relation get_list_of_column_names "
    "*get_empty_subquery_sql *get_empty_schema_sql get_column_schema_from_query "
    "*get_columns_in_query *alter_column_type *alter_relation_add_remove_columns "
    "*alter_column_comment *alter_relation_comment persist_docs validate_doc_columns "
    "default__persist_docs *current_timestamp *snapshot_get_time get_snapshot_get_time_data_type "
    "*current_timestamp_backcompat *current_timestamp_in_utc_backcompat "
    "*make_intermediate_relation *make_temp_relation *make_backup_relation *truncate_relation "
    "*get_or_create_relation load_cached_relation load_relation *get_catalog_relations "
    "*get_catalog *information_schema_name *list_schemas *check_schema_exists "
    "*list_relations_without_caching *get_catalog_for_single_relation *get_relations "
    "*get_relation_last_modified get_show_sql get_limit_subquery_sql default__get_limit_sql "
    "*validate_sql *copy_grants *support_multiple_grantees_per_dcl_statement should_revoke "
    "*get_show_grant_sql *get_grant_sql *get_revoke_sql *get_dcl_statement_list "
    "*call_dcl_statements *apply_grants *collect_freshness *collect_freshness_custom_sql "
    "*get_create_index_sql *create_indexes *get_drop_index_sql *get_show_indexes_sql "
    "*create_schema *drop_schema *generate_schema_name generate_schema_name_for_env "
    "*generate_database_name *generate_alias_name *length *cast_bool_to_text *intersect *cast "
    "*datediff *split_part _split_part_negative *array_concat *right *last_day default_last_day "
    "*except *array_append *type_string *type_timestamp *type_float *type_numeric *type_bigint "
    "*type_int *type_boolean *date *any_value *date_trunc *escape_single_quotes *array_construct "
    "*get_powers_of_two *generate_series *position *equals *concat *replace "
    "*get_intervals_between *date_spine *hash *string_literal *bool_or *listagg *dateadd "
    "*safe_cast run_hooks make_hook_config before_begin in_transaction after_commit "
    "set_sql_header should_full_refresh should_store_failures *create_csv_table *reset_csv_table "
    "*get_csv_sql *get_binding_char *get_batch_size get_seed_column_quoted_csv *load_csv_rows "
    "materialization_seed_default materialization_table_default "
    "materialization_materialized_view_default materialized_view_setup materialized_view_teardown "
    "materialized_view_get_build_sql materialized_view_execute_no_op "
    "materialized_view_execute_build_sql materialization_view_default *create_or_replace_clone "
    "materialization_clone_default *can_clone_table is_incremental *get_incremental_append_sql "
    "*get_incremental_delete_insert_sql *get_incremental_merge_sql "
    "*get_incremental_insert_overwrite_sql *get_incremental_default_sql "
    "*get_incremental_microbatch_sql get_insert_into_sql *get_merge_sql "
    "*get_delete_insert_merge_sql *get_insert_overwrite_merge_sql "
    "incremental_validate_on_schema_change *check_for_schema_changes *sync_column_schemas "
    "*process_schema_changes get_quoted_csv diff_columns *diff_column_data_types "
    "*get_merge_update_columns materialization_incremental_default materialization_test_default "
    "*get_where_subquery *get_test_sql *get_unit_test_sql materialization_unit_default "
    "*get_aggregate_function_create_replace_signature *get_formatted_aggregate_function_args "
    "*get_function_language_specifier *get_aggregate_function_volatility_specifier "
    "*get_function_python_options *function_execute_build_sql *scalar_function_sql "
    "*scalar_function_create_replace_signature_sql *formatted_scalar_function_args_sql "
    "*scalar_function_body_sql *scalar_function_volatility_sql *unsupported_volatility_warning "
    "materialization_function_default strategy_dispatch *snapshot_hash_arguments "
    "snapshot_timestamp_strategy *snapshot_string_as_time snapshot_check_all_get_existing_columns "
    "snapshot_check_strategy *snapshot_merge_sql *create_columns *post_snapshot *get_true_sql "
    "snapshot_staging_table get_snapshot_table_column_names default__snapshot_staging_table "
    "*build_snapshot_table build_snapshot_staging_table get_updated_at_column_data_type "
    "check_time_data_types get_dbt_valid_to_current unique_key_fields unique_key_join_on "
    "unique_key_is_null unique_key_is_not_null materialization_snapshot_default *test_unique "
    "*test_not_null *test_accepted_values *test_relationships *resolve_model_name "
    "build_ref_function build_source_function build_config_dict py_script_postfix "
    "py_script_comment get_fixture_sql get_expected_sql format_row *validate_fixture_rows "
    "statement noop_statement run_query convert_datetime dates_in_range partition_range "
    "py_current_timestring"
).split()
ADAPTER_MACROS = {
    "duckdb": (
        "snapshot_merge_sql post_snapshot alter_relation_add_remove_columns "
        "alter_relation_comment alter_column_comment get_catalog create_schema drop_schema "
        "list_schemas check_schema_exists create_table_as create_view_as get_columns_in_relation "
        "list_relations_without_caching drop_relation rename_relation make_temp_relation "
        "current_timestamp snapshot_string_as_time snapshot_get_time get_incremental_default_sql "
        "apply_grants get_create_index_sql get_binding_char get_batch_size load_csv_rows "
        "split_part datediff last_day any_value generate_series listagg dateadd merge_join_clause "
        "get_incremental_merge_sql get_merge_sql get_delete_insert_merge_sql "
        "get_incremental_microbatch_sql"
    ).split(),
    "postgres": (
        "create_table_as get_create_index_sql create_schema drop_schema get_columns_in_relation "
        "list_relations_without_caching information_schema_name list_schemas check_schema_exists "
        "make_relation_with_suffix make_intermediate_relation make_temp_relation "
        "make_backup_relation escape_comment alter_relation_comment alter_column_comment "
        "get_show_grant_sql copy_grants get_show_indexes_sql get_drop_index_sql get_catalog "
        "get_relations current_timestamp snapshot_string_as_time snapshot_get_time "
        "get_incremental_default_sql get_incremental_merge_sql snapshot_merge_sql dateadd listagg "
        "datediff any_value last_day split_part get_replace_view_sql get_replace_table_sql "
        "get_rename_view_sql get_rename_table_sql drop_materialized_view "
        "refresh_materialized_view get_alter_materialized_view_as_sql "
        "get_create_materialized_view_as_sql update_indexes_on_materialized_view"
    ).split(),
}
ADAPTER_EXTRA = {
    "duckdb": (
        "build_snapshot_staging_table duckdb_escape_comment get_column_names py_write_table "
        "location_exists write_to_file store_relation render_write_options "
        "drop_indexes_on_relation external_location register_upstream_external_models "
        "materialization_table_duckdb materialization_table_function_duckdb "
        "materialization_incremental_duckdb materialization_external_duckdb merge_clause_defaults "
        "validate_merge_config validate_merge_clauses validate_merge_clause_list "
        "validate_string_field validate_string_list_field validate_dict_field "
        "normalize_incremental_predicates run_hooks"
    ).split(),
    "postgres": (
        "postgres_get_relations get_dbt_utils_version materialization_materialized_view_postgres "
        "postgres_escape_comment postgres_index_exists"
    ).split(),
}

PROJECT_MACROS = [
    (
        "cents_to_dollars",
        [("column_name", "string"), ("scale", "integer")],
        "Converts an integer amount in cents into a decimal amount in dollars.",
    ),
    (
        "safe_divide",
        [("numerator", "string"), ("denominator", "string")],
        "Divides two expressions, returning null instead of failing on division by zero.",
    ),
    (
        "generate_schema_name",
        [("custom_schema_name", "string"), ("node", "object")],
        "Project override: uses the custom schema as-is in prod, prefixes it in dev.",
    ),
    (
        "fiscal_quarter",
        [("date_column", "string")],
        "Returns the fiscal quarter (FY starts 1 February) for a date column.",
    ),
    ("clean_email", [("column_name", "string")], "Lower-cases and trims an e-mail address."),
    (
        "surrogate_key",
        [("field_list", "list")],
        "Builds an md5 surrogate key from a list of columns, null-safe.",
    ),
    (
        "limit_in_dev",
        [("days", "integer")],
        "Adds a date filter in development targets to keep builds fast.",
    ),
    (
        "deduplicate",
        [("relation", "relation"), ("partition_by", "string"), ("order_by", "string")],
        "Keeps the latest row per key.",
    ),
    (
        "convert_currency",
        [("amount_column", "string"), ("currency_column", "string")],
        "Converts an amount into USD using the daily FX table.",
    ),
    (
        "is_business_day",
        [("date_column", "string")],
        "True when the date is a weekday and not a company holiday.",
    ),
    ("grant_select", [("role", "string")], "Grants select on the current model to a role."),
    (
        "star_except",
        [("relation", "relation"), ("except", "list")],
        "Selects all columns of a relation except the listed ones.",
    ),
]

# ---------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")) or word in ("addresses",):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _human(name: str) -> str:
    return name.replace("_", " ")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def _iso_z(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _iso_off(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _ref(name: str, version=None) -> dict:
    return {"name": name, "package": None, "version": version}


def _docs() -> dict:
    return {"show": True, "node_color": None}


def _column(
    name, description="", data_type=None, meta=None, tags=None, constraints=None, doc_blocks=None
) -> dict:
    meta = meta or {}
    tags = tags or []
    return {
        "name": name,
        "description": description,
        "meta": meta,
        "data_type": data_type,
        "constraints": constraints or [],
        "quote": None,
        "config": {"meta": meta, "tags": tags},
        "tags": tags,
        "granularity": None,
        "doc_blocks": doc_blocks or [],
    }


def _constraint(ctype, columns=None, expression=None, to=None, to_columns=None):
    c = {
        "type": ctype,
        "name": None,
        "expression": expression,
        "warn_unenforced": True,
        "warn_unsupported": True,
        "to": to,
        "to_columns": to_columns or [],
    }
    if columns is not None:
        c["columns"] = columns
    return c


class Col:
    """A column of a relation as the generator sees it (before dbt serialization)."""

    __slots__ = ("name", "kind", "expr", "src", "desc", "doc")

    def __init__(self, name, kind, expr=None, src=None):
        self.name = name
        self.kind = kind
        self.expr = expr  # SQL expression (None = plain passthrough)
        self.src = src  # CTE alias / source column the value comes from
        self.desc = ""
        self.doc = None  # doc block unique_id when the description is a {{ doc() }}


class Rel:
    """A model / seed / snapshot / source table in the plan."""

    __slots__ = (
        "uid",
        "name",
        "layer",
        "domain",
        "system",
        "entity",
        "cols",
        "parents",
        "mat",
        "version",
        "latest",
        "relation",
        "schema",
        "alias",
        "path",
        "yml",
        "group",
        "access",
        "contract",
        "documented",
        "tests",
        "level",
        "kind",
        "macros",
        "ref_version",
        "children",
        "desc",
        "ident",
        "source_name",
        "pk",
        "n_doc_cols",
        "description",
        "tags",
        "meta",
        "inc_col",
        "body",
        "ctes",
    )

    def __init__(self, **kw):
        for s in self.__slots__:
            setattr(self, s, kw.get(s))


# ---------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------


class _Project:
    def __init__(self, models: int, seed: int):
        if models < 10:
            raise ValueError("models must be >= 10")
        self.n_models = models
        self.seed = seed
        self.rng = random.Random(seed)
        rng = self.rng
        self.base_ts = float(_BASE_EPOCH + (seed % 100000) * 60)
        self.adapter = "duckdb" if seed % 2 == 0 else "postgres"
        self.types = TYPES[self.adapter]
        self.project = ["acme_dw", "northwind", "globex_dw", "initech"][seed % 4]
        pkg = self.project
        self.pkg = pkg
        if self.adapter == "duckdb":
            self.database, self.target_schema = pkg, "main"
        else:
            self.database, self.target_schema = "analytics", "dbt_prod"
        self.created = self.base_ts - 900.0  # parse time, 15 min before the build
        self.names: set[str] = set()
        self.rels: dict[str, Rel] = {}
        self.nodes: dict[str, dict] = {}
        self.sources: dict[str, dict] = {}
        self.macros: dict[str, dict] = {}
        self.docs: dict[str, dict] = {}
        self.exposures: dict[str, dict] = {}
        self.metrics: dict[str, dict] = {}
        self.semantic_models: dict[str, dict] = {}
        self.saved_queries: dict[str, dict] = {}
        self.unit_tests: dict[str, dict] = {}
        self.groups: dict[str, dict] = {}
        self.disabled: dict[str, list] = {}
        self.tests: list[str] = []
        self.doc_blocks: list[tuple[str, str]] = []
        self.invocation_id = _uuid(rng)
        self.test_hash = 0

    # -- small utilities ---------------------------------------------------------------
    def ts(self) -> float:
        self.created += 0.000731
        return round(self.created, 7)

    def relation_name(self, schema: str, alias: str) -> str:
        return f'"{self.database}"."{schema}"."{alias}"'

    def unique_name(self, candidates) -> str:
        for c in candidates:
            if c not in self.names:
                self.names.add(c)
                return c
        base = candidates[-1]
        i = 2
        while f"{base}_{i}" in self.names:
            i += 1
        self.names.add(f"{base}_{i}")
        return f"{base}_{i}"

    def col_desc(self, col: Col, rel_name: str, entity: str, system: str | None) -> str:
        rng = self.rng
        e = _singular(entity).replace("_", " ")
        h = _human(col.name)
        k = col.kind
        if col.name.endswith("_id") and k == "id":
            if col.name == f"{_singular(entity)}_id":
                d = f"Primary key of {rel_name}: one row per {e}."
            else:
                d = f"Foreign key to the {_human(col.name[:-3])} this {e} belongs to."
        elif k == "ts":
            d = f"Timestamp (UTC) of the {h.replace(' at', '')} event for the {e}."
        elif k == "date":
            d = f"{h.capitalize()} of the {e}, truncated to the day in the reporting timezone."
        elif k == "enum":
            vals = ENUM_VALUES.get(col.name, ["a", "b"])
            d = f"{h.capitalize()} of the {e}. One of: {', '.join(vals)}."
        elif k == "num":
            d = f"{h.capitalize()} of the {e} in the account currency, rounded to cents."
        elif k == "bool":
            d = f"True when the {e} is {h.replace('is ', '')}."
        elif k in ("int", "float"):
            d = f"{h.capitalize()} for the {e}, computed over its full history."
        else:
            d = f"{h.capitalize()} of the {e}" + (f" as reported by {system}." if system else ".")
        r = rng.random()
        if r < 0.07:
            d += " Null before the 2021 migration."
        elif r < 0.12:
            d += " Backfilled from the legacy warehouse."
        elif r < 0.15:
            d += " PII: masked unless you have `pii_reader`."
        return d

    # -- plan --------------------------------------------------------------------------
    def plan(self):
        rng = self.rng
        n = self.n_models
        self.n_src_tables = max(3, round(n / 20))
        n_stg = self.n_src_tables
        rest = n - n_stg
        self.n_versioned = max(1, n // 2000)  # each adds one extra model node (v1)
        rest -= self.n_versioned
        n_marts = round(rest * 0.42)
        n_int = rest - n_marts
        self.n_seeds = max(2, n // 500)
        self.n_snapshots = max(1, n // 1000)
        self.n_domains = max(3, min(len(DOMAINS), round(n / 400)))
        self.domains = DOMAINS[: self.n_domains]
        # groups: ~5, each owns some domains; the rest of the domains are ungrouped
        self.domain_group = {}
        for i, d in enumerate(self.domains):
            if i % 5 < 3 or i < 5:
                self.domain_group[d] = GROUPS[i % 5][0]
        # source systems
        n_sys = max(2, math.ceil(self.n_src_tables / 14))
        systems = []
        for i in range(n_sys):
            name, loader = SYSTEMS[i % len(SYSTEMS)]
            if i >= len(SYSTEMS):
                name = f"{name}_{SYSTEM_SUFFIXES[(i // len(SYSTEMS) - 1) % len(SYSTEM_SUFFIXES)]}"
                if i >= len(SYSTEMS) * (len(SYSTEM_SUFFIXES) + 1):
                    name = f"{name}_{i}"
            systems.append((name, loader))
        self.systems = systems
        self.system_domains = {
            s: rng.sample(self.domains, min(len(self.domains), rng.randint(1, 3)))
            for s, _ in systems
        }
        self.plan_counts = {"stg": n_stg, "int": n_int, "marts": n_marts}

    # -- macros ------------------------------------------------------------------------
    def build_macros(self):
        rng = self.rng
        base = []
        for nm in DBT_MACROS:
            if nm.startswith("*"):
                base.append((nm[1:], True))
                base.append(("default__" + nm[1:], False))
            else:
                base.append((nm, False))
        dispatchers = {nm for nm, disp in base if disp}
        pkg_macros = [("dbt", nm, disp) for nm, disp in base]
        apkg = "dbt_" + self.adapter
        for nm in ADAPTER_MACROS[self.adapter]:
            pkg_macros.append((apkg, f"{self.adapter}__{nm}", False))
        for nm in ADAPTER_EXTRA[self.adapter]:
            pkg_macros.append((apkg, nm, False))
        all_ids = [f"macro.{p}.{nm}" for p, nm, _ in pkg_macros]
        for pkg, nm, disp in pkg_macros:
            if nm.startswith("materialization_"):
                folder = "materializations/models"
            elif nm.startswith("test_") or nm.startswith("default__test_"):
                folder = "generic_test_sql"
            elif "snapshot" in nm:
                folder = "materializations/snapshots"
            elif "incremental" in nm or "merge" in nm:
                folder = "materializations/models/incremental"
            elif nm.startswith(("type_", "default__type_")) or "date" in nm:
                folder = "utils"
            elif "relation" in nm or "view" in nm or "table" in nm:
                folder = "relations"
            else:
                folder = "adapters"
            stem = nm.split("__")[-1]
            fname = stem.split("_")[0] if folder == "utils" else folder.split("/")[-1]
            path = f"macros/{folder}/{fname}.sql"
            args = ", ".join(
                rng.sample(
                    [
                        "relation",
                        "sql",
                        "columns",
                        "config",
                        "node",
                        "temporary",
                        "model",
                        "column_name",
                    ],
                    rng.randint(0, 3),
                )
            )
            deps = []
            if disp:
                body = (
                    f"{{% macro {nm}({args}) -%}}\n  {{{{ return(adapter.dispatch("
                    f"'{nm}', '{pkg}')({args})) }}}}\n{{% endmacro %}}"
                )
                deps = [f"macro.dbt.default__{nm}"]
                if nm in dispatchers and apkg and f"macro.{apkg}.{self.adapter}__{nm}" in all_ids:
                    deps.append(f"macro.{apkg}.{self.adapter}__{nm}")
            else:
                target = int(min(7600, max(90, rng.lognormvariate(5.6, 1.0))))
                if nm.startswith("materialization_"):
                    target = max(target, 2500)
                body = self._macro_body(nm, args, target)
                deps = sorted(rng.sample(all_ids, rng.randint(0, 4)))
            self.macros[f"macro.{pkg}.{nm}"] = self._macro_dict(pkg, nm, path, body, deps, "", [])
        # project macros
        n_proj = max(8, self.n_models // 80)
        for i in range(n_proj):
            if i < len(PROJECT_MACROS):
                nm, args, desc = PROJECT_MACROS[i]
            else:
                d = self.domains[i % len(self.domains)]
                verb = [
                    "normalize",
                    "classify",
                    "map",
                    "bucket",
                    "clean",
                    "parse",
                    "format",
                    "derive",
                ][i % 8]
                obj = rng.choice(ENTITIES)
                nm = f"{d}_{verb}_{_singular(obj)}"
                if f"macro.{self.pkg}.{nm}" in self.macros:
                    nm = f"{nm}_{i}"
                args = [("column_name", "string")] + ([("default", "string")] if i % 3 == 0 else [])
                desc = (
                    f"Shared {d} logic to {verb} {_human(obj)} values consistently across models."
                )
            arg_s = ", ".join(a for a, _ in args)
            body = self._macro_body(nm, arg_s, rng.randint(150, 1400))
            deps = sorted(
                rng.sample(
                    [
                        "macro.dbt.run_query",
                        "macro.dbt.type_string",
                        "macro.dbt.dateadd",
                        "macro.dbt.concat",
                        "macro.dbt.hash",
                        "macro.dbt.safe_cast",
                    ],
                    rng.randint(0, 2),
                )
            )
            arguments = [
                {"name": a, "type": t, "description": f"The {_human(a)} to operate on."}
                for a, t in args
            ]
            self.macros[f"macro.{self.pkg}.{nm}"] = self._macro_dict(
                self.pkg,
                nm,
                f"macros/{nm}.sql",
                body,
                deps,
                desc,
                arguments,
                patch=f"{self.pkg}://macros/_macros.yml",
            )
        self.project_macros = [k for k in self.macros if k.startswith(f"macro.{self.pkg}.")]

    def _macro_body(self, name: str, args: str, target_len: int) -> str:
        rng = self.rng
        lines = [f"{{% macro {name}({args}) %}}"]
        snippets = [
            "  {%- set relation = adapter.get_relation(database=model.database, "
            "schema=model.schema, identifier=model.alias) -%}",
            "  {% if relation is not none and relation.is_view %}",
            "    {{ adapter.drop_relation(relation) }}",
            "  {% endif %}",
            "  {%- set sql_header = config.get('sql_header', none) -%}",
            "  {{ sql_header if sql_header is not none }}",
            "  create or replace table {{ relation }} as (",
            "    {{ sql }}",
            "  );",
            "  {% call statement('main', fetch_result=True) -%}",
            "    select count(*) from {{ relation }}",
            "  {%- endcall %}",
            "  {%- set columns = adapter.get_columns_in_relation(relation) -%}",
            "  {% for column in columns %}",
            "    {{ adapter.quote(column.name) }}{{ ',' if not loop.last }}",
            "  {% endfor %}",
            "  {{ return(load_result('main').table) }}",
            "  {%- do run_hooks(pre_hooks, inside_transaction=True) -%}",
            "  {{ exceptions.raise_compiler_error('Invalid config: ' ~ config) }}",
            "  {% set tmp_relation = make_temp_relation(this) %}",
        ]
        size = len(lines[0])
        while size < target_len:
            s = rng.choice(snippets)
            lines.append(s)
            size += len(s) + 1
        lines.append("{% endmacro %}")
        return "\n".join(lines)

    def _macro_dict(self, pkg, name, path, body, deps, desc, arguments, patch=None):
        return {
            "name": name,
            "resource_type": "macro",
            "package_name": pkg,
            "path": path,
            "original_file_path": path,
            "unique_id": f"macro.{pkg}.{name}",
            "macro_sql": body,
            "depends_on": {"macros": deps},
            "description": desc,
            "meta": {},
            "docs": _docs(),
            "config": {"meta": {}, "docs": _docs()},
            "patch_path": patch,
            "arguments": arguments,
            "created_at": self.ts(),
            "supported_languages": ["sql"] if name.startswith("materialization_") else None,
        }

    # -- docs --------------------------------------------------------------------------
    def build_docs(self):
        overview = "\n".join(
            [
                f"### {self.pkg}",
                "",
                "This is the documentation site for the analytics warehouse. Models are grouped in",
                "three layers: `staging` (one view per raw table, renamed and cast), "
                "`intermediate`",
                "(joins and business logic, mostly ephemeral or views) and `marts` (facts and",
                "dimensions consumed by dashboards, notebooks and reverse-ETL syncs).",
                "",
                "#### Conventions",
                "- Primary keys are named `<entity>_id` and are tested for uniqueness and nulls.",
                "- Timestamps are UTC and end in `_at`; dates end in `_date`.",
                "- Money columns are in the account currency unless suffixed `_usd`.",
                "",
                "Questions: #data-help on Slack.",
            ]
        )
        self.docs["doc.dbt.__overview__"] = {
            "name": "__overview__",
            "resource_type": "doc",
            "package_name": "dbt",
            "path": "overview.md",
            "original_file_path": "docs/overview.md",
            "unique_id": "doc.dbt.__overview__",
            "block_contents": overview,
        }
        n_docs = max(3, self.n_models // 50)
        for i in range(n_docs):
            attr, kind = ATTRIBUTES[i % len(ATTRIBUTES)]
            name = attr if i < len(ATTRIBUTES) else f"{attr}_{i // len(ATTRIBUTES)}"
            text = (
                f"{_human(attr).capitalize()}, as defined by the metrics council "
                f"(see the glossary). Shared definition used across all marts; change it "
                f"here rather than in individual models."
            )
            uid = f"doc.{self.pkg}.{name}"
            self.docs[uid] = {
                "name": name,
                "resource_type": "doc",
                "package_name": self.pkg,
                "path": "docs/glossary.md",
                "original_file_path": "models/docs/glossary.md",
                "unique_id": uid,
                "block_contents": text,
            }
            if i < len(ATTRIBUTES):
                self.doc_blocks.append((attr, uid))
        self.doc_by_attr = dict(self.doc_blocks)

    # -- columns -----------------------------------------------------------------------
    def ncols(self) -> int:
        return int(min(40, 5 + self.rng.gammavariate(2.5, 4.55)))

    def pick_attrs(self, k: int, taken: set) -> list[Col]:
        out = []
        for name, kind in self.rng.sample(ATTRIBUTES, min(len(ATTRIBUTES), k + 8)):
            if len(out) >= k:
                break
            if name not in taken:
                taken.add(name)
                out.append(Col(name, kind))
        return out

    def describe(self, rel: Rel, share: float = 0.62):
        rng = self.rng
        for c in rel.cols:
            r = rng.random()
            if r < 0.05 and c.name in self.doc_by_attr:
                c.doc = self.doc_by_attr[c.name]
                c.desc = self.docs[c.doc]["block_contents"]
            elif r < share:
                c.desc = self.col_desc(c, rel.name, rel.entity, rel.system)

    # -- sources -----------------------------------------------------------------------
    def build_sources(self):
        rng = self.rng
        per_sys = [0] * len(self.systems)
        for i in range(self.n_src_tables):
            per_sys[i % len(self.systems)] += 1
        self.src_rels: list[Rel] = []
        for (system, loader), cnt in zip(self.systems, per_sys, strict=False):
            ents = rng.sample(ENTITIES, min(cnt, len(ENTITIES)))
            while len(ents) < cnt:
                ents.append(f"{rng.choice(ENTITIES)}_{len(ents)}")
            fresh = rng.random() < 0.8
            warn_h, err_h = rng.choice([(12, 24), (6, 12), (24, 48), (1, 3), (2, 6)])
            loaded_at = LOADED_AT[loader]
            desc = (
                f"Raw {system.replace('_', ' ').title()} data, replicated by "
                f"{loader.title()} every {rng.choice(['15 minutes', 'hour', '6 hours'])}."
            )
            src_schema = f"raw_{system}"
            yml = f"models/staging/{system}/_{system}__sources.yml"
            for ent in ents:
                ident = ent
                uid = f"source.{self.pkg}.{system}.{ident}"
                n = self.ncols()
                taken = {"id"}
                cols = [Col("id", "id")]
                fks = rng.sample(ENTITIES, rng.randint(0, 3))
                for fk in fks:
                    nm = f"{_singular(fk)}_id"
                    if nm not in taken and fk != ent:
                        taken.add(nm)
                        cols.append(Col(nm, "id"))
                cols += self.pick_attrs(max(1, n - len(cols) - 1), taken)
                cols.append(Col(loaded_at, "ts"))
                rel = Rel(
                    uid=uid,
                    name=ident,
                    layer="source",
                    system=system,
                    entity=ent,
                    cols=cols,
                    source_name=system,
                    schema=src_schema,
                    alias=ident,
                    relation=f'"{self.database if self.adapter == "postgres" else "raw"}"'
                    f'."{src_schema}"."{ident}"',
                    children=[],
                    pk="id",
                )
                self.describe(rel, share=0.45)
                self.rels[uid] = rel
                self.src_rels.append(rel)
                freshness = (
                    {
                        "warn_after": {"count": warn_h, "period": "hour"},
                        "error_after": {"count": err_h, "period": "hour"},
                        "filter": None,
                    }
                    if fresh
                    else {
                        "warn_after": {"count": None, "period": None},
                        "error_after": {"count": None, "period": None},
                        "filter": None,
                    }
                )
                lat = loaded_at if fresh else None
                tags = [loader] + (["pii"] if rng.random() < 0.15 else [])
                meta = {"owner": rng.choice(TEAMS)} if rng.random() < 0.5 else {}
                tdesc = (
                    f"{_human(ent).capitalize()} from {system}. One row per "
                    f"{_human(_singular(ent))}; soft-deleted rows are kept."
                    if rng.random() < 0.7
                    else ""
                )
                columns = {
                    c.name: _column(
                        c.name,
                        c.desc,
                        DECLARED_TYPES[c.kind] if rng.random() < 0.2 else None,
                        doc_blocks=[c.doc] if c.doc else None,
                    )
                    for c in cols
                }
                self.sources[uid] = {
                    "database": "raw" if self.adapter == "duckdb" else self.database,
                    "schema": src_schema,
                    "name": ident,
                    "resource_type": "source",
                    "package_name": self.pkg,
                    "path": yml,
                    "original_file_path": yml,
                    "unique_id": uid,
                    "fqn": [self.pkg, "staging", system, system, ident],
                    "source_name": system,
                    "source_description": desc,
                    "loader": loader,
                    "identifier": ident,
                    "quoting": {
                        "database": None,
                        "schema": None,
                        "identifier": None,
                        "column": None,
                    },
                    "loaded_at_field": lat,
                    "loaded_at_query": None,
                    "freshness": freshness,
                    "external": None,
                    "description": tdesc,
                    "columns": columns,
                    "meta": meta,
                    "source_meta": {"loader_connector_id": f"{system}_{loader}"},
                    "tags": tags,
                    "config": {
                        "enabled": True,
                        "event_time": None,
                        "freshness": freshness,
                        "loaded_at_field": lat,
                        "loaded_at_query": None,
                        "meta": meta,
                        "tags": tags,
                    },
                    "patch_path": None,
                    "unrendered_config": {
                        "loaded_at_field": lat,
                        "loaded_at_query": None,
                        "meta": meta,
                        "tags": tags,
                    },
                    "relation_name": rel.relation,
                    "created_at": self.ts(),
                    "unrendered_database": None,
                    "unrendered_schema": src_schema,
                    "doc_blocks": [],
                }

    # -- model plan ----------------------------------------------------------------------
    def plan_models(self):
        rng = self.rng
        self.stg: list[Rel] = []
        self.ints: dict[str, list[list[Rel]]] = {d: [[], [], [], []] for d in self.domains}
        self.marts: dict[str, dict[str, list[Rel]]] = {
            d: {"dim": [], "fct": []} for d in self.domains
        }
        self.order: list[Rel] = []  # models (incl. seeds/snapshots) in topo order
        self.domain_stg: dict[str, list[Rel]] = {d: [] for d in self.domains}
        # seeds
        self.seeds: list[Rel] = []
        seed_names = [
            "country_codes",
            "currency_rates",
            "holidays",
            "fiscal_calendar",
            "channel_mapping",
            "region_mapping",
            "product_categories",
            "account_overrides",
            "tax_rates",
            "sales_territories",
        ]
        for i in range(self.n_seeds):
            nm = self.unique_name([seed_names[i % len(seed_names)]])
            cols = [Col(f"{_singular(nm.split('_')[0])}_code", "str")] + self.pick_attrs(
                rng.randint(2, 6), set()
            )
            rel = Rel(
                uid=f"seed.{self.pkg}.{nm}",
                name=nm,
                layer="seed",
                entity=nm,
                cols=cols,
                parents=[],
                mat="seed",
                children=[],
                pk=cols[0].name,
                schema=f"{self.target_schema}_seeds",
                alias=nm,
                domain=None,
            )
            self.describe(rel)
            self.seeds.append(rel)
            self.order.append(rel)
        # staging
        for src in self.src_rels:
            ent = src.entity
            nm = self.unique_name([f"stg_{src.system}__{ent}", f"stg_{src.system}__{ent}_v2"])
            rel = Rel(
                name=nm,
                layer="staging",
                system=src.system,
                entity=ent,
                parents=[src],
                mat="view",
                children=[],
                domain=None,
            )
            self.stg.append(rel)
            for d in self.system_domains[src.system]:
                self.domain_stg[d].append(rel)
            self.order.append(rel)
        for d in self.domains:
            if not self.domain_stg[d]:
                self.domain_stg[d] = rng.sample(self.stg, min(3, len(self.stg)))
        # snapshots (on staging models)
        self.snapshots: list[Rel] = []
        for _ in range(self.n_snapshots):
            base = self.stg[rng.randrange(len(self.stg))]
            nm = self.unique_name([f"snap_{base.entity}", f"snap_{base.system}_{base.entity}"])
            rel = Rel(
                name=nm,
                layer="snapshot",
                entity=base.entity,
                parents=[base],
                mat="snapshot",
                children=[],
                system=base.system,
                domain=None,
                uid=f"snapshot.{self.pkg}.{nm}",
                schema="snapshots",
                alias=nm,
            )
            self.snapshots.append(rel)
            self.order.append(rel)
        # intermediates, by level across domains so list order is topological
        n_int = self.plan_counts["int"]
        levels = [rng.choices([0, 1, 2, 3], weights=[40, 30, 20, 10])[0] for _ in range(n_int)]
        levels.sort()
        for lvl in levels:
            d = self.domains[rng.randrange(len(self.domains))]
            k = rng.choices([1, 2, 3], weights=[45, 35, 20])[0]
            parents: list[Rel] = []
            lower = [r for L in range(lvl) for r in self.ints[d][L][-60:]] if lvl else []
            if lower:
                parents.append(rng.choice(lower))
            while len(parents) < k:
                pool = self.domain_stg[d] if (not lower or rng.random() < 0.55) else lower
                if rng.random() < 0.08:
                    pool = self.stg
                p = rng.choice(pool)
                if p not in parents:
                    parents.append(p)
                elif len(pool) <= len(parents):
                    break
            if rng.random() < 0.02 and self.seeds:
                parents.append(rng.choice(self.seeds))
            ent = parents[0].entity if rng.random() < 0.8 else rng.choice(ENTITIES)
            ent = ent.split("_")[0] if ent.split("_")[-1].isdigit() else ent
            verb = rng.choice(INT_VERBS)
            q1, q2 = rng.sample(QUALIFIERS, 2)
            nm = self.unique_name(
                [
                    f"int_{ent}_{verb}",
                    f"int_{ent}_{verb}_{q1}",
                    f"int_{ent}_{verb}_{q2}",
                    f"int_{d}_{ent}_{verb}",
                    f"int_{d}_{ent}_{verb}_{q1}",
                ]
            )
            r = rng.random()
            mat = "ephemeral" if r < 0.22 else ("view" if r < 0.6 else "table")
            rel = Rel(
                name=nm,
                layer="intermediate",
                domain=d,
                entity=ent,
                parents=parents,
                mat=mat,
                children=[],
                level=lvl,
            )
            self.ints[d][lvl].append(rel)
            self.order.append(rel)
        # marts: dims first then facts, per domain
        n_marts = self.plan_counts["marts"]
        kinds = sorted(("dim" if rng.random() < 0.35 else "fct") for _ in range(n_marts))
        for kind in kinds:
            d = self.domains[rng.randrange(len(self.domains))]
            k = rng.choices([2, 3, 4, 5], weights=[35, 30, 20, 15])[0]
            ints = [r for L in self.ints[d] for r in L]
            parents = []
            tries = 0
            while len(parents) < k and tries < 20:
                tries += 1
                r = rng.random()
                if kind == "fct" and r < 0.3 and self.marts[d]["dim"]:
                    p = rng.choice(self.marts[d]["dim"][-40:])
                elif r < 0.75 and ints:
                    p = rng.choice(ints[-150:])
                elif r < 0.97:
                    p = rng.choice(self.domain_stg[d])
                elif self.snapshots and rng.random() < 0.5:
                    p = rng.choice(self.snapshots)
                else:
                    other = self.marts[rng.choice(self.domains)]["dim"]
                    p = rng.choice(other) if other else rng.choice(self.stg)
                if p not in parents:
                    parents.append(p)
            ent = parents[0].entity if rng.random() < 0.7 else rng.choice(ENTITIES)
            ent = ent.split("_")[0] if ent.split("_")[-1].isdigit() else ent
            if kind == "dim":
                q = rng.sample(DIM_QUALS, 2)
                cands = [
                    f"dim_{ent}",
                    f"dim_{ent}_{q[0]}",
                    f"dim_{ent}_{q[1]}",
                    f"dim_{d}_{ent}",
                    f"dim_{d}_{ent}_{q[0]}",
                ]
            else:
                g = rng.sample(FCT_GRAINS, 2)
                cands = [
                    f"fct_{ent}",
                    f"fct_{ent}_{g[0]}",
                    f"fct_{ent}_{g[1]}",
                    f"fct_{d}_{ent}",
                    f"fct_{d}_{ent}_{g[0]}",
                ]
            nm = self.unique_name(cands)
            if kind == "dim":
                mat = "table" if rng.random() < 0.88 else "incremental"
            else:
                mat = "incremental" if rng.random() < 0.55 else "table"
            rel = Rel(
                name=nm,
                layer="marts",
                domain=d,
                entity=ent,
                parents=parents,
                mat=mat,
                children=[],
                kind=kind,
            )
            self.marts[d][kind].append(rel)
            self.order.append(rel)
        # governance: groups, access, contracts, versions
        all_marts = [r for r in self.order if r.layer == "marts"]
        for r in self.order:
            if r.layer in ("intermediate", "marts"):
                g = self.domain_group.get(r.domain)
                if g and (r.layer == "marts" or rng.random() < 0.5):
                    r.group = g
                    if r.layer == "marts":
                        r.access = "public" if rng.random() < 0.7 else "protected"
                    else:
                        r.access = "private"
                else:
                    r.access = "protected"
            elif r.layer == "staging":
                r.access = "protected"
        public = [r for r in all_marts if r.access == "public"]
        for r in public:
            if rng.random() < 0.3:
                r.contract = True
        dims = (
            [r for r in public if r.kind == "dim"]
            or [r for r in all_marts if r.kind == "dim"]
            or all_marts
        )
        versioned = rng.sample(dims, min(len(dims), self.n_versioned))
        for r in versioned:
            r.contract = True
            r.latest = 2
            r.version = 2
            old = Rel(
                name=r.name,
                layer="marts",
                domain=r.domain,
                entity=r.entity,
                parents=list(r.parents),
                mat=r.mat,
                children=[],
                kind=r.kind,
                group=r.group,
                access=r.access,
                contract=True,
                latest=2,
                version=1,
            )
            idx = self.order.index(r)
            self.order.insert(idx, old)
        # a few downstream models pin the old version
        self.old_versions = {r.name: r for r in self.order if r.version == 1}
        # now the columns and uids
        for r in self.order:
            self.finish_rel(r)
        self.models = [r for r in self.order if r.layer in ("staging", "intermediate", "marts")]

    def finish_rel(self, r: Rel):
        rng = self.rng
        pkg = self.pkg
        if r.layer in ("seed",):
            r.relation = self.relation_name(r.schema, r.alias)
            r.path = f"{r.name}.csv"
            return
        if r.layer == "snapshot":
            base = r.parents[0]
            r.cols = [Col(c.name, c.kind) for c in base.cols] + [
                Col("dbt_scd_id", "str"),
                Col("dbt_updated_at", "ts"),
                Col("dbt_valid_from", "ts"),
                Col("dbt_valid_to", "ts"),
            ]
            r.pk = base.pk
            r.relation = self.relation_name(r.schema, r.alias)
            r.path = f"{r.name}.sql"
            self.describe(r, 0.3)
            return
        if r.layer == "staging":
            schema = f"{self.target_schema}_staging"
            folder = f"staging/{r.system}"
        elif r.layer == "intermediate":
            schema = f"{self.target_schema}_intermediate"
            folder = f"intermediate/{r.domain}"
        else:
            schema = f"{self.target_schema}_{r.domain}"
            folder = f"marts/{r.domain}"
        r.schema = schema
        alias = r.name if r.version is None else f"{r.name}_v{r.version}"
        r.alias = alias
        r.uid = f"model.{pkg}.{r.name}" + ("" if r.version is None else f".v{r.version}")
        r.path = f"{folder}/{alias}.sql"
        r.yml = f"models/{folder}/_{folder.split('/')[-1]}__models.yml"
        r.relation = None if r.mat == "ephemeral" else self.relation_name(schema, alias)
        # columns
        own_pk = f"{_singular(r.entity)}_id"
        n = self.ncols()
        if r.layer == "staging":
            src = r.parents[0]
            cols = []
            for c in src.cols:
                if c.name == "id":
                    cols.append(Col(own_pk, "id", expr="id"))
                elif c.kind == "ts" and c.name.startswith("_"):
                    cols.append(Col("loaded_at", "ts", expr=c.name))
                elif c.kind == "ts":
                    cols.append(Col(c.name, "ts", expr=f"cast({c.name} as timestamp)"))
                elif c.kind == "num" and rng.random() < 0.3:
                    cols.append(Col(c.name, "num", expr=f"{{{{ cents_to_dollars('{c.name}') }}}}"))
                else:
                    cols.append(Col(c.name, c.kind))
            r.cols = cols
        else:
            # Every column below reads only columns its parent has (catalog and YAML alike),
            # so the compiled SQL is consistent the way a project dbt builds is.
            self.pin_versions(r)
            p0 = r.parents[0]
            aliases = [self.cte_alias(p, i) for i, p in enumerate(r.parents)]
            a0 = aliases[0]
            key = own_pk if any(c.name == own_pk for c in p0.cols) else p0.pk
            if r.layer == "marts":
                pk_col = Col(own_pk, "id", expr=f"{{{{ surrogate_key(['{a0}.{key}']) }}}}")
            elif key == own_pk:
                pk_col = Col(own_pk, "id", src=a0)
            else:
                pk_col = Col(own_pk, "id", expr=f"{a0}.{key}")
            cols = [pk_col]
            taken = {own_pk}
            for p, a in zip(r.parents, aliases, strict=False):
                if p.pk and p.pk not in taken:
                    taken.add(p.pk)
                    cols.append(Col(p.pk, "id", src=a))
            if r.mat == "incremental":
                # The is_incremental() filter compares a column of the first parent with the
                # same column of the model's own table, so the model keeps it.
                ts = [c.name for c in p0.cols if c.kind == "ts"]
                pref = [x for x in ("updated_at", "loaded_at") if x in ts]
                r.inc_col = (pref or ts or [p0.pk])[0]
                if r.inc_col not in taken:
                    taken.add(r.inc_col)
                    cols.append(Col(r.inc_col, "ts", src=a0))
            pool = [
                (c, a)
                for p, a in zip(r.parents, aliases, strict=False)
                for c in (p.cols or [])
                if c.name not in taken and c.kind != "id"
            ]
            rng.shuffle(pool)
            want_inh = max(0, int((n - len(cols)) * 0.7))
            for c, a in pool:
                if want_inh <= 0:
                    break
                if c.name not in taken:
                    taken.add(c.name)
                    cols.append(Col(c.name, c.kind, src=a))
                    want_inh -= 1
            pairs = list(zip(r.parents, aliases, strict=False))
            for c in self.pick_attrs(max(0, n - len(cols)), taken):
                c.src, c.expr = self.derive_expr(c, pairs)
                cols.append(c)
            r.cols = cols
        r.pk = own_pk
        r.documented = rng.random() < 0.95 or r.contract
        self.describe(r)

    @staticmethod
    def cte_alias(p: Rel, i: int) -> str:
        """CTE name for the i-th parent: its entity, as dbt style guides recommend."""
        nm = (p.entity or p.name).split("__")[-1][:20].rstrip("_")
        return nm if i == 0 else f"{nm}_{i + 1}"

    def pin_versions(self, r: Rel):
        """A quarter of the refs to a versioned model pin its old version (v1): the SQL then
        reads v1's columns, so the pin is decided before the columns are."""
        for i, p in enumerate(r.parents):
            if p.version is not None and p.name in self.old_versions and self.rng.random() < 0.25:
                r.parents[i] = self.old_versions[p.name]

    def derive_expr(self, c: Col, pairs: list[tuple[Rel, str]]) -> tuple[str | None, str]:
        """(CTE alias, SQL expression) computing `c` from columns one parent really has.

        Parents are tried from a random one on; when none has a column of a fitting kind (rare:
        every staging model has a timestamp and an id) the value is a typed null."""
        rng = self.rng
        start = rng.randrange(len(pairs))
        for p, a in pairs[start:] + pairs[:start]:
            by_kind: dict[str, list[str]] = {}
            for pc in p.cols:
                by_kind.setdefault(pc.kind, []).append(pc.name)
            expr = self._derived(c, a, by_kind)
            if expr is not None:
                return a, expr
        return None, f"cast(null as {DECLARED_TYPES[c.kind]})"

    def _derived(self, c: Col, a: str, cols: dict[str, list[str]]) -> str | None:
        rng = self.rng
        k = c.kind
        ts, dates, enums = cols.get("ts"), cols.get("date"), cols.get("enum")
        nums, ints, bools = cols.get("num"), cols.get("int"), cols.get("bool")
        strs = (cols.get("str") or []) + (enums or [])
        if k == "bool":
            if enums:
                e = rng.choice(enums)
                return f"coalesce({a}.{e} = '{ENUM_VALUES.get(e, ['a'])[0]}', false)"
            if bools:
                return f"not coalesce({a}.{rng.choice(bools)}, false)"
            if ts:
                return f"{a}.{rng.choice(ts)} is not null"
        elif k == "num":
            if nums and ints:
                x, y = rng.choice(nums), rng.choice(ints)
                if rng.random() < 0.15:
                    return f"{{{{ safe_divide('{a}.{x}', '{a}.{y}') }}}}"
                return f"round(coalesce({a}.{x}, 0) * coalesce({a}.{y}, 1), 2)"
            if nums or ints:
                return f"round(coalesce({a}.{rng.choice(nums or ints)}, 0), 2)"
        elif k == "int":
            if ints:
                return f"coalesce({a}.{rng.choice(ints)}, 0)"
            if ts or dates:
                return f"cast(extract(day from {a}.{rng.choice(ts or dates)}) as integer)"
        elif k == "float":
            pool = cols.get("float") or nums or ints
            if pool:
                return f"cast({a}.{rng.choice(pool)} as double)"
        elif k == "ts":
            if ts and len(ts) > 1:
                t1, t2 = rng.sample(ts, 2)
                return f"greatest({a}.{t1}, {a}.{t2})"
            if ts or dates:
                return f"cast({a}.{(ts or dates)[0]} as timestamp)"
        elif k == "date":
            if ts:
                return f"cast(date_trunc('day', {a}.{rng.choice(ts)}) as date)"
            if dates:
                return f"cast(date_trunc('month', {a}.{rng.choice(dates)}) as date)"
        elif k == "enum":
            vals = ENUM_VALUES.get(c.name, ["a", "b"])
            whens = []
            if bools:
                whens.append(f"when {a}.{rng.choice(bools)} then '{vals[-1]}'")
            if ts:
                whens.append(f"when {a}.{rng.choice(ts)} is not null then '{vals[1 % len(vals)]}'")
            if whens:
                return f"case {' '.join(whens)} else '{vals[0]}' end"
            if strs:
                return f"coalesce(lower({a}.{rng.choice(strs)}), '{vals[0]}')"
        elif strs:
            return f"lower(trim({a}.{rng.choice(strs)}))"
        return None

    # -- SQL -------------------------------------------------------------------------------
    def sql_for(self, r: Rel):
        """Return (raw_code, compiled_code, macro deps, refs, sources, depends_on nodes)."""
        rng = self.rng
        if r.layer == "staging":
            src = r.parents[0]
            src_call = f"{{{{ source('{src.source_name}', '{src.name}') }}}}"
            cfg = ""
            body = [
                "with",
                "",
                "source as (",
                "",
                f"    select * from {src_call}",
                "",
                "),",
                "",
                "renamed as (",
                "",
                "    select",
                "        -- ids",
            ]
            sel = []
            for c in r.cols:
                if c.expr and c.expr != c.name:
                    sel.append(f"        {c.expr} as {c.name}")
                else:
                    sel.append(f"        {c.name}")
            body += [s + "," for s in sel[:-1]] + [sel[-1]]
            body += [
                "",
                "    from source",
                "    where not coalesce(is_deleted, false)"
                if any(c.name == "is_deleted" for c in src.cols)
                else "    where id is not null",
                "",
                "),",
                "",
                "deduplicated as (",
                "",
                "    select *",
                "    from renamed",
                # the loader's column comes last (loaded_at, or segment's received_at ...)
                f"    qualify row_number() over (partition by {r.cols[0].name} "
                f"order by {r.cols[-1].name} desc) = 1",
                "",
                ")",
                "",
                "select * from deduplicated",
            ]
            raw = "\n".join(body)
            comp = raw.replace(src_call, src.relation)
            refs, sources, parents = [], [[src.source_name, src.name]], [src.uid]
            self.last_extra_ctes = []
        else:
            aliases = [self.cte_alias(p, i) for i, p in enumerate(r.parents)]
            calls = []
            refs, sources, parents = [], [], []
            for p, _alias in zip(r.parents, aliases, strict=False):
                if p.layer == "source":
                    call = f"{{{{ source('{p.source_name}', '{p.name}') }}}}"
                    sources.append([p.source_name, p.name])
                else:
                    # pin_versions put v1 in the parents where a ref pins it
                    pin = 1 if p.version is not None and p.version != p.latest else None
                    call = (
                        f"{{{{ ref('{p.name}') }}}}"
                        if pin is None
                        else f"{{{{ ref('{p.name}', v={pin}) }}}}"
                    )
                    refs.append(_ref(p.name, pin))
                calls.append((call, p))
                parents.append(p.uid)
            cfg = ""
            if r.mat == "incremental":
                cfg = (
                    f"{{{{\n    config(\n        materialized='incremental',\n"
                    f"        unique_key='{r.pk}',\n"
                    f"        on_schema_change='append_new_columns'\n    )\n}}}}\n\n"
                )
            elif r.layer == "intermediate" and r.mat == "ephemeral":
                cfg = "{{ config(materialized='ephemeral') }}\n\n"
            body = ["with", ""]
            for (call, p), a in zip(calls, aliases, strict=False):
                body += [f"{a} as (", "", f"    select * from {call}"]
                if r.mat == "incremental" and p is calls[0][1]:
                    body += [
                        "    {% if is_incremental() %}",
                        f"    where {r.inc_col} > (select max({r.inc_col}) from {{{{ this }}}})",
                        "    {% endif %}",
                    ]
                body += ["", "),", ""]
            body += ["joined as (", "", "    select"]
            sel = []
            for c in r.cols:
                if c.expr:
                    sel.append(f"        {c.expr} as {c.name}")
                else:
                    sel.append(f"        {c.src}.{c.name}")
            body += [s + "," for s in sel[:-1]] + [sel[-1]]
            body += ["", f"    from {aliases[0]}"]
            p0 = r.parents[0]
            p0_names = {c.name for c in p0.cols}
            for p, a in zip(r.parents[1:], aliases[1:], strict=False):
                # join on a key both sides have: the parent's key, the first parent's, or
                # another shared id; failing those, the two primary keys
                names = {c.name for c in p.cols}
                if p.pk in p0_names:
                    k0 = k = p.pk
                elif p0.pk in names:
                    k0 = k = p0.pk
                else:
                    shared = [c.name for c in p0.cols if c.kind == "id" and c.name in names]
                    k0, k = (shared[0], shared[0]) if shared else (p0.pk, p.pk)
                body += [f"    left join {a}", f"        on {aliases[0]}.{k0} = {a}.{k}"]
            body += ["", ")", "", "select * from joined"]
            raw = cfg + "\n".join(body)
            comp = "\n".join(body)
            for call, p in calls:
                comp = comp.replace(call, p.relation or f"__dbt__cte__{p.name}")
            if r.mat == "incremental":
                comp = comp.replace("{{ this }}", r.relation or "")
                comp = comp.replace("    {% if is_incremental() %}\n", "").replace(
                    "    {% endif %}\n", ""
                )
            # Ephemeral parents, each after its own ephemeral parents, as dbt's
            # _recursively_prepend_ctes orders them; injected once the macros are rendered.
            ctes: dict[str, str] = {}
            for _, p in calls:
                if p.mat == "ephemeral":
                    ctes.update(p.ctes)
                    ctes[p.uid] = f" __dbt__cte__{p.name} as (\n{p.body}\n)"
            r.ctes = ctes
            self.last_extra_ctes = [{"id": k, "sql": v} for k, v in ctes.items()]
        macros = []
        if "cents_to_dollars(" in raw:
            macros.append(f"macro.{self.pkg}.cents_to_dollars")
            comp = comp.replace("{{ cents_to_dollars('", "(").replace(
                "') }}", " / 100)::numeric(16, 2)"
            )
        if "safe_divide(" in raw:
            macros.append(f"macro.{self.pkg}.safe_divide")
            while "{{ safe_divide('" in comp:
                s = comp.index("{{ safe_divide('")
                e = comp.index("}}", s) + 2
                a, b = comp[s + 16 : e - 4].split("', '")
                comp = comp[:s] + f"case when {b} = 0 then null else {a} / {b} end" + comp[e:]
        if "surrogate_key(" in raw:
            macros.append(f"macro.{self.pkg}.surrogate_key")
            while "{{ surrogate_key(['" in comp:
                s = comp.index("{{ surrogate_key(['")
                e = comp.index("}}", s) + 2
                col = comp[s + 19 : e - 6]
                comp = (
                    comp[:s]
                    + f"md5(cast(coalesce(cast({col} as varchar), '') as varchar))"
                    + comp[e:]
                )
        if r.mat == "incremental":
            macros.append("macro.dbt.is_incremental")
        if r.mat == "ephemeral":
            r.body = comp  # what a child's __dbt__cte__ holds
        if self.last_extra_ctes:
            # dbt injects the ephemeral parents as CTEs at the top of compiled_code
            pre = ",\n".join(c["sql"] for c in self.last_extra_ctes)
            comp = "with" + pre + ",\n" + comp[len("with\n") :]
        helpers = self.project_macros[len(PROJECT_MACROS) :]
        if rng.random() < 0.08 and helpers:
            m = rng.choice(helpers)
            if m not in macros:
                macros.append(m)
        return raw, comp, macros, refs, sources, parents

    # -- model node --------------------------------------------------------------------
    def build_model_nodes(self):
        rng = self.rng
        pkg = self.pkg
        for r in self.order:
            if r.layer == "seed":
                self.nodes[r.uid] = self.seed_node(r)
                continue
            if r.layer == "snapshot":
                self.nodes[r.uid] = self.snapshot_node(r)
                continue
            raw, comp, macros, refs, sources, parents = self.sql_for(r)
            dedup_parents = list(dict.fromkeys(parents))
            mat = r.mat
            layer_tags = {
                "staging": ["staging"],
                "intermediate": ["intermediate"],
                "marts": ["marts", r.domain or ""],
            }[r.layer]
            extra_tags = []
            if rng.random() < 0.15:
                extra_tags.append(
                    rng.choice(
                        ["hourly", "nightly", "pii", "finance_critical", "sla_tier_1", "deprecated"]
                    )
                )
            tags = layer_tags + extra_tags
            meta = {}
            if r.layer == "marts":
                meta = {"owner": rng.choice(TEAMS), "tier": rng.randint(1, 3)}
                if rng.random() < 0.3:
                    meta["slack_channel"] = f"#data-{r.domain}"
            contract = bool(r.contract)
            doc = r.documented
            col_dicts = {}
            n_doc = 0
            if doc:
                for c in r.cols:
                    typed = contract or rng.random() < 0.3
                    cmeta = (
                        {"pii": True}
                        if c.name in ("email", "phone", "first_name", "last_name")
                        else {}
                    )
                    ctags = ["pii"] if cmeta else []
                    cons = []
                    if contract and c.name == r.pk:
                        cons = [_constraint("not_null")]
                    col_dicts[c.name] = _column(
                        c.name,
                        c.desc,
                        DECLARED_TYPES[c.kind] if typed else None,
                        cmeta,
                        ctags,
                        cons,
                        [c.doc] if c.doc else None,
                    )
                n_doc = len(col_dicts)
            r.n_doc_cols = n_doc
            if doc:
                if r.layer == "staging":
                    desc = (
                        f"Staged {_human(r.entity)} from {r.system}: renamed, cast to "
                        f"warehouse types and de-duplicated on the primary key. One row "
                        f"per {_human(_singular(r.entity))}."
                    )
                elif r.layer == "intermediate":
                    desc = (
                        f"{_human(r.entity).capitalize()} {_human(r.name.split('_')[-1])} "
                        f"for the {_human(r.domain)} domain. Combines "
                        f"{', '.join(p.name for p in r.parents)}. Not meant to be queried "
                        f"directly; use the marts instead."
                    )
                else:
                    what = "Fact table" if r.kind == "fct" else "Dimension"
                    desc = (
                        f"{what} of {_human(r.entity)} for {_human(r.domain)} reporting. "
                        f"Grain: one row per {_human(_singular(r.entity))}"
                        f"{' per day' if 'daily' in r.name else ''}. Built from "
                        f"{', '.join(p.name for p in r.parents)}. Refreshed "
                        f"{rng.choice(['hourly', 'nightly', 'every 4 hours'])}; "
                        f"owned by {meta.get('owner', 'analytics-engineering')}."
                    )
                    if r.version == 1:
                        desc += " Version 1 is deprecated; migrate to v2."
            else:
                desc = ""
            r.description = desc
            r.tags = tags
            r.meta = meta
            access = r.access or "protected"
            incr = mat == "incremental"
            config = {
                "enabled": True,
                "alias": None,
                "schema": None,
                "database": None,
                "tags": tags,
                "meta": meta,
                "group": r.group,
                "materialized": mat,
                "incremental_strategy": ("delete+insert" if self.adapter == "postgres" else "merge")
                if incr
                else None,
                "batch_size": None,
                "lookback": 1,
                "begin": None,
                "persist_docs": {},
                "post-hook": [],
                "pre-hook": [],
                "quoting": {},
                "column_types": {},
                "full_refresh": None,
                "unique_key": r.pk if incr else None,
                "on_schema_change": "append_new_columns" if incr else "ignore",
                "on_configuration_change": "apply",
                "grants": {},
                "packages": [],
                "docs": _docs(),
                "contract": {"enforced": contract, "alias_types": True},
                "event_time": None,
                "concurrent_batches": None,
                "access": access,
                "freshness": None,
            }
            config["schema"] = r.schema[len(self.target_schema) + 1 :]
            unrendered = {"materialized": mat, "schema": config["schema"], "tags": layer_tags}
            if incr:
                unrendered.update({"unique_key": r.pk, "on_schema_change": "append_new_columns"})
            if r.group:
                unrendered["group"] = r.group
            if contract:
                unrendered["contract"] = {"enforced": True}
            if r.access and r.access != "protected":
                unrendered["access"] = r.access
            fqn = [pkg] + r.path[:-4].split("/")[:-1] + [r.name]
            if r.version is not None:
                fqn.append(f"v{r.version}")
            pk_tested = doc and rng.random() < 0.84
            r.tests = pk_tested
            contract_d = {
                "enforced": contract,
                "alias_types": True,
                "checksum": _sha256("".join(f"{c}:{d['data_type']}" for c, d in col_dicts.items()))
                if contract
                else None,
            }
            self.nodes[r.uid] = {
                "database": self.database,
                "schema": r.schema,
                "name": r.name,
                "resource_type": "model",
                "package_name": pkg,
                "path": r.path,
                "original_file_path": f"models/{r.path}",
                "unique_id": r.uid,
                "fqn": fqn,
                "alias": r.alias,
                "checksum": {"name": "sha256", "checksum": _sha256(raw)},
                "config": config,
                "tags": tags,
                "description": desc,
                "columns": col_dicts,
                "meta": meta,
                "group": r.group,
                "docs": _docs(),
                "patch_path": f"{pkg}://{r.yml}" if doc else None,
                "build_path": None,
                "unrendered_config": unrendered,
                "created_at": self.ts(),
                "relation_name": r.relation,
                "raw_code": raw,
                "doc_blocks": [],
                "language": "sql",
                "refs": refs,
                "sources": sources,
                "metrics": [],
                "functions": [],
                "depends_on": {"macros": macros, "nodes": dedup_parents},
                "compiled_path": f"target/compiled/{pkg}/models/{r.path}",
                "compiled": True,
                "compiled_code": comp,
                "extra_ctes_injected": True,
                "extra_ctes": self.last_extra_ctes,
                "contract": contract_d,
                "access": access,
                "constraints": [_constraint("primary_key", columns=[r.pk])] if contract else [],
                "version": r.version,
                "latest_version": r.latest,
                "deprecation_date": (
                    _iso_off(self.base_ts + 120 * 86400) if r.version == 1 else None
                ),
                "primary_key": [r.pk] if pk_tested or contract else [],
                "time_spine": None,
            }

    def seed_node(self, r: Rel) -> dict:
        pkg = self.pkg
        cols = {c.name: _column(c.name, c.desc) for c in r.cols}
        config = {
            "enabled": True,
            "alias": None,
            "schema": "seeds",
            "database": None,
            "tags": [],
            "meta": {},
            "group": None,
            "materialized": "seed",
            "incremental_strategy": None,
            "batch_size": None,
            "lookback": 1,
            "begin": None,
            "persist_docs": {},
            "post-hook": [],
            "pre-hook": [],
            "quoting": {},
            "column_types": {},
            "full_refresh": None,
            "unique_key": None,
            "on_schema_change": "ignore",
            "on_configuration_change": "apply",
            "grants": {},
            "packages": [],
            "docs": _docs(),
            "contract": {"enforced": False, "alias_types": True},
            "event_time": None,
            "concurrent_batches": None,
            "delimiter": ",",
            "quote_columns": None,
        }
        return {
            "database": self.database,
            "schema": r.schema,
            "name": r.name,
            "resource_type": "seed",
            "package_name": pkg,
            "path": r.path,
            "original_file_path": f"seeds/{r.path}",
            "unique_id": r.uid,
            "fqn": [pkg, r.name],
            "alias": r.alias,
            "checksum": {"name": "sha256", "checksum": _sha256(r.name + "csv")},
            "config": config,
            "tags": [],
            "description": f"Static mapping: {_human(r.name)}.",
            "columns": cols,
            "meta": {},
            "group": None,
            "docs": _docs(),
            "patch_path": f"{pkg}://seeds/_seeds.yml",
            "build_path": None,
            "unrendered_config": {"schema": "seeds"},
            "created_at": self.ts(),
            "relation_name": r.relation,
            "raw_code": "",
            "doc_blocks": [],
            "root_path": f"/home/runner/work/{pkg}/{pkg}",
            "depends_on": {"macros": []},
        }

    def snapshot_node(self, r: Rel) -> dict:
        pkg = self.pkg
        base = r.parents[0]
        check = [c.name for c in base.cols[1:4]]
        raw = (
            "\n    {{\n        config(\n            target_schema='snapshots',\n"
            f"            unique_key='{r.pk}',\n            strategy='check',\n"
            f"            check_cols={check!r}\n        )\n    }}}}\n"
            f"    select * from {{{{ ref('{base.name}') }}}}\n"
        )
        comp = f"\n    \n    select * from {base.relation}"
        config = {
            "enabled": True,
            "alias": None,
            "schema": None,
            "database": None,
            "tags": [],
            "meta": {},
            "group": None,
            "materialized": "snapshot",
            "incremental_strategy": None,
            "batch_size": None,
            "lookback": 1,
            "begin": None,
            "persist_docs": {},
            "post-hook": [],
            "pre-hook": [],
            "quoting": {},
            "column_types": {},
            "full_refresh": None,
            "unique_key": r.pk,
            "on_schema_change": "ignore",
            "on_configuration_change": "apply",
            "grants": {},
            "packages": [],
            "docs": _docs(),
            "contract": {"enforced": False, "alias_types": True},
            "event_time": None,
            "concurrent_batches": None,
            "strategy": "check",
            "target_schema": "snapshots",
            "target_database": None,
            "updated_at": None,
            "check_cols": check,
            "snapshot_meta_column_names": {
                "dbt_valid_to": None,
                "dbt_valid_from": None,
                "dbt_scd_id": None,
                "dbt_updated_at": None,
                "dbt_is_deleted": None,
            },
            "dbt_valid_to_current": None,
        }
        return {
            "database": self.database,
            "schema": "snapshots",
            "name": r.name,
            "resource_type": "snapshot",
            "package_name": pkg,
            "path": r.path,
            "original_file_path": f"snapshots/{r.path}",
            "unique_id": r.uid,
            "fqn": [pkg, r.name, r.name],
            "alias": r.alias,
            "checksum": {"name": "sha256", "checksum": _sha256(raw)},
            "config": config,
            "tags": [],
            "description": f"Type-2 history of {base.name}.",
            "columns": {},
            "meta": {},
            "group": None,
            "docs": _docs(),
            "patch_path": None,
            "build_path": None,
            "unrendered_config": {
                "target_schema": "snapshots",
                "unique_key": r.pk,
                "strategy": "check",
                "check_cols": check,
            },
            "created_at": self.ts(),
            "relation_name": r.relation,
            "raw_code": raw,
            "doc_blocks": [],
            "language": "sql",
            "refs": [_ref(base.name)],
            "sources": [],
            "metrics": [],
            "functions": [],
            "depends_on": {"macros": [], "nodes": [base.uid]},
            "compiled_path": None,
            "compiled": True,
            "compiled_code": comp,
            "extra_ctes_injected": True,
            "extra_ctes": [],
            "contract": {"enforced": False, "alias_types": True, "checksum": None},
        }

    # -- tests -------------------------------------------------------------------------
    def test_config(self, severity="ERROR", alias=None, where=None):
        return {
            "enabled": True,
            "alias": alias,
            "schema": "dbt_test__audit",
            "database": None,
            "tags": [],
            "meta": {},
            "group": None,
            "materialized": "test",
            "severity": severity,
            "store_failures": None,
            "store_failures_as": None,
            "where": where,
            "limit": None,
            "fail_calc": "count(*)",
            "warn_if": "!= 0",
            "error_if": "!= 0",
        }

    def add_generic_test(
        self,
        test: str,
        target: Rel,
        column: str,
        yml: str,
        folder: list,
        kwargs_extra: dict,
        extra_parent: Rel | None = None,
    ):
        rng = self.rng
        pkg = self.pkg
        is_src = target.layer == "source"
        tname = target.name if not is_src else f"{target.source_name}_{target.name}"
        if target.version is not None:
            tname = f"{target.name}_v{target.version}"
        prefix = "source_" if is_src else ""
        suffix = ""
        if test == "accepted_values":
            suffix = "__" + "__".join(kwargs_extra["values"])
        elif test == "relationships":
            suffix = f"__{kwargs_extra['field']}__ref_{extra_parent.name}_"
        name = f"{prefix}{test}_{tname}_{column}{suffix}"
        ident = f"{prefix}{test}_{tname}"
        short = name if len(name) < 64 else f"{ident[:30]}_{_md5(name)}"
        uid = f"test.{pkg}.{name}.{_md5(name + target.uid)[:10]}"
        if uid in self.nodes:
            return None
        severity = "warn" if rng.random() < 0.08 else "ERROR"
        where = "created_at >= current_date - 30" if rng.random() < 0.03 else None
        unrendered = {}
        if short != name:
            unrendered["alias"] = short
        if severity == "warn":
            unrendered["severity"] = "warn"
        if where:
            unrendered["where"] = where
        call = (
            f"source('{target.source_name}', '{target.name}')"
            if is_src
            else (
                f"ref('{target.name}')"
                if target.version is None
                else f"ref('{target.name}', v={target.version})"
            )
        )
        kwargs = dict(kwargs_extra)
        kwargs["column_name"] = column
        kwargs["model"] = f"{{{{ get_where_subquery({call}) }}}}"
        raw = f"{{{{ test_{test}(**_dbt_generic_test_kwargs) }}}}"
        if short != name:
            raw += f'{{{{ config(alias="{short}") }}}}'
        rel = target.relation
        if where:
            rel = f"(select * from {rel} where {where}) dbt_subquery"
        if test == "not_null":
            comp = f"\n    \n    \n\n\n\nselect {column}\nfrom {rel}\nwhere {column} is null\n\n\n"
        elif test == "unique":
            comp = (
                f"\n    \n    \n\nselect\n    {column} as unique_field,\n    count(*) as "
                f"n_records\n\nfrom {rel}\nwhere {column} is not null\ngroup by {column}\n"
                f"having count(*) > 1\n\n\n"
            )
        elif test == "accepted_values":
            vals = ",".join(f"'{v}'" for v in kwargs_extra["values"])
            comp = (
                f"\n    \n    \n\nwith all_values as (\n\n    select\n        {column} as "
                f"value_field,\n        count(*) as n_records\n\n    from {rel}\n    group "
                f"by {column}\n\n)\n\nselect *\nfrom all_values\nwhere value_field not in "
                f"(\n    {vals}\n)\n\n\n"
            )
        else:
            f = kwargs_extra["field"]
            comp = (
                f"\n    \n    \n\nwith child as (\n    select {column} as from_field\n    "
                f"from {rel}\n    where {column} is not null\n),\n\nparent as (\n    "
                f"select {f} as to_field\n    from {extra_parent.relation}\n)\n\nselect\n"
                f"    from_field\n\nfrom child\nleft join parent\n    on child.from_field ="
                f" parent.to_field\n\nwhere parent.to_field is null\n\n\n"
            )
        refs = []
        parents = []
        if extra_parent is not None:
            refs.append(_ref(extra_parent.name))
            parents.append(extra_parent.uid)
        if not is_src:
            refs.append(_ref(target.name, target.version))
        parents.append(target.uid)
        node = {
            "database": self.database,
            "schema": f"{self.target_schema}_dbt_test__audit",
            "name": name,
            "resource_type": "test",
            "package_name": pkg,
            "path": f"{short}.sql",
            "original_file_path": yml,
            "unique_id": uid,
            "fqn": [pkg] + folder + [name],
            "alias": short,
            "checksum": {"name": "none", "checksum": ""},
            "config": self.test_config(
                "warn" if severity == "warn" else "ERROR", short if short != name else None, where
            ),
            "tags": [],
            "description": "",
            "columns": {},
            "meta": {},
            "group": None,
            "docs": _docs(),
            "patch_path": None,
            "build_path": None,
            "unrendered_config": unrendered,
            "created_at": self.ts(),
            "relation_name": None,
            "raw_code": raw,
            "doc_blocks": [],
            "language": "sql",
            "refs": refs,
            "sources": [[target.source_name, target.name]] if is_src else [],
            "metrics": [],
            "functions": [],
            "depends_on": {
                "macros": [f"macro.dbt.test_{test}", "macro.dbt.get_where_subquery"],
                "nodes": parents,
            },
            "compiled_path": f"target/compiled/{pkg}/{yml}/{short}.sql",
            "compiled": True,
            "compiled_code": comp,
            "extra_ctes_injected": True,
            "extra_ctes": [],
            "contract": {"enforced": False, "alias_types": True, "checksum": None},
            "column_name": column,
            "file_key_name": (
                f"sources.{target.source_name}" if is_src else f"models.{target.name}"
            ),
            "attached_node": None if is_src else target.uid,
            "test_metadata": {"name": test, "kwargs": kwargs, "namespace": None},
        }
        self.nodes[uid] = node
        self.tests.append(uid)
        return uid

    def build_tests(self):
        rng = self.rng
        uid_by_pk: dict[str, Rel] = {}
        for r in self.models:
            if r.version in (None, 2) and r.mat != "ephemeral" and r.pk not in uid_by_pk:
                uid_by_pk[r.pk] = r
        for r in self.models:
            if not r.documented or r.mat == "ephemeral":
                continue
            folder = r.path.split("/")[:-1]
            if r.tests:
                self.add_generic_test("unique", r, r.pk, r.yml, folder, {})
                self.add_generic_test("not_null", r, r.pk, r.yml, folder, {})
            n_extra = rng.choices([0, 1, 2, 3, 4], weights=[52, 28, 12, 5, 3])[0]
            cands = r.cols[1:]
            for c in rng.sample(cands, min(len(cands), n_extra)):
                if c.kind == "enum" and c.name in ENUM_VALUES and rng.random() < 0.7:
                    self.add_generic_test(
                        "accepted_values", r, c.name, r.yml, folder, {"values": ENUM_VALUES[c.name]}
                    )
                elif (
                    c.kind == "id"
                    and c.name in uid_by_pk
                    and uid_by_pk[c.name] is not r
                    and rng.random() < 0.8
                ):
                    tgt = uid_by_pk[c.name]
                    self.add_generic_test(
                        "relationships",
                        r,
                        c.name,
                        r.yml,
                        folder,
                        {"to": f"ref('{tgt.name}')", "field": c.name},
                        tgt,
                    )
                else:
                    self.add_generic_test("not_null", r, c.name, r.yml, folder, {})
        # source tests
        for s in self.src_rels:
            if rng.random() < 0.6:
                yml = self.sources[s.uid]["original_file_path"]
                self.add_generic_test("not_null", s, "id", yml, ["staging", s.system], {})
                if rng.random() < 0.5:
                    self.add_generic_test("unique", s, "id", yml, ["staging", s.system], {})
        # singular tests
        n_sing = max(1, self.n_models // 150)
        marts = [r for r in self.models if r.layer == "marts" and r.relation]
        pool = marts or [r for r in self.models if r.relation]
        for _i in range(n_sing):
            a = rng.choice(pool)
            b = rng.choice(pool)
            tgt = [a] if a is b or rng.random() < 0.5 else [a, b]
            check = rng.choice(
                ["has_no_gaps", "reconciles_with_ledger", "totals_match", "not_in_future"]
                + ["is_positive"]
            )
            name = self.unique_name([f"assert_{a.name}_{check}"])
            raw = (
                f"-- {name.replace('_', ' ')}\n-- Fails when rows are returned.\n\n"
                f"with current as (\n    select * from {{{{ ref('{a.name}') }}}}\n)"
                + (
                    f",\n\nother as (\n    select * from {{{{ ref('{b.name}') }}}}\n)"
                    if len(tgt) == 2
                    else ""
                )
                + f"\n\nselect\n    {a.pk},\n    count(*) as n\nfrom current\n"
                + (f"left join other using ({b.pk})\n" if len(tgt) == 2 else "")
                + f"where {a.pk} is null\n   or {a.cols[-1].name} is null\ngroup by 1\n"
                "having count(*) > 0\n"
            )
            comp = raw.replace(f"{{{{ ref('{a.name}') }}}}", a.relation)
            if len(tgt) == 2:
                comp = comp.replace(f"{{{{ ref('{b.name}') }}}}", b.relation)
            uid = f"test.{self.pkg}.{name}"
            node = {
                "database": self.database,
                "schema": f"{self.target_schema}_dbt_test__audit",
                "name": name,
                "resource_type": "test",
                "package_name": self.pkg,
                "path": f"{a.domain}/{name}.sql",
                "original_file_path": f"tests/{a.domain}/{name}.sql",
                "unique_id": uid,
                "fqn": [self.pkg, a.domain, name],
                "alias": name,
                "checksum": {"name": "sha256", "checksum": _sha256(raw)},
                "config": self.test_config(),
                "tags": [],
                "description": "",
                "columns": {},
                "meta": {},
                "group": None,
                "docs": _docs(),
                "patch_path": None,
                "build_path": None,
                "unrendered_config": {},
                "created_at": self.ts(),
                "relation_name": None,
                "raw_code": raw,
                "doc_blocks": [],
                "language": "sql",
                "refs": [_ref(t.name) for t in tgt],
                "sources": [],
                "metrics": [],
                "functions": [],
                "depends_on": {"macros": [], "nodes": [t.uid for t in tgt]},
                "compiled_path": f"target/compiled/{self.pkg}/tests/{a.domain}/{name}.sql",
                "compiled": True,
                "compiled_code": comp,
                "extra_ctes_injected": True,
                "extra_ctes": [],
                "contract": {"enforced": False, "alias_types": True, "checksum": None},
            }
            self.nodes[uid] = node
            self.tests.append(uid)
        self.n_singular = n_sing

    def build_unit_tests(self):
        rng = self.rng
        n = max(2, self.n_models // 250)
        cands = [
            r
            for r in self.models
            if r.layer in ("intermediate", "marts") and r.mat != "ephemeral" and r.version is None
        ]
        for r in rng.sample(cands, min(n, len(cands))):
            verb = rng.choice(
                [
                    "computes",
                    "deduplicates",
                    "handles_nulls_in",
                    "joins_correctly_on",
                    "filters_deleted",
                ]
            )
            name = f"test_{r.name}_{verb}_{r.pk}"
            given = []
            for p in r.parents:
                call = (
                    f"source('{p.source_name}', '{p.name}')"
                    if p.layer == "source"
                    else f"ref('{p.name}')"
                )
                rows = [
                    {
                        c.name: (
                            i + 1
                            if c.kind in ("id", "int")
                            else (
                                10.5 * (i + 1)
                                if c.kind in ("num", "float")
                                else (i % 2 == 0 if c.kind == "bool" else f"v{i}")
                            )
                        )
                        for c in (p.cols or [])[:4]
                    }
                    for i in range(2)
                ]
                given.append({"input": call, "rows": rows, "format": "dict", "fixture": None})
            expect = {
                "rows": [
                    {c.name: (i + 1 if c.kind in ("id", "int") else f"v{i}") for c in r.cols[:3]}
                    for i in range(2)
                ],
                "format": "dict",
                "fixture": None,
            }
            folder = r.path.split("/")[:-1]
            uid = f"unit_test.{self.pkg}.{r.name}.{name}"
            self.unit_tests[uid] = {
                "model": r.name,
                "given": given,
                "expect": expect,
                "name": name,
                "resource_type": "unit_test",
                "package_name": self.pkg,
                "path": r.yml[len("models/") :],
                "original_file_path": r.yml,
                "unique_id": uid,
                "fqn": [self.pkg] + folder + [r.name, name],
                "description": f"Checks that {r.name} {_human(verb)} {r.pk}.",
                "overrides": None,
                "depends_on": {"macros": [], "nodes": [r.uid]},
                "config": {"tags": [], "meta": {}, "enabled": True},
                "checksum": _sha256(json.dumps(given) + json.dumps(expect)),
                "schema": r.schema,
                "created_at": self.ts(),
                "versions": None,
                "version": None,
            }

    # -- semantic layer ----------------------------------------------------------------
    def build_semantic(self):
        rng = self.rng
        pkg = self.pkg
        n_sm = max(2, min(40, self.n_models // 250))
        facts = [
            r
            for r in self.models
            if r.layer == "marts" and r.kind == "fct" and r.relation and r.documented
        ]
        facts = facts or [r for r in self.models if r.relation]
        self.sm_metrics: list[str] = []
        for r in rng.sample(facts, min(n_sm, len(facts))):
            sm_name = r.name[4:] if r.name.startswith("fct_") else r.name
            uid = f"semantic_model.{pkg}.{sm_name}"
            if uid in self.semantic_models:
                continue
            fks = [c for c in r.cols[1:] if c.kind == "id"][:3]
            nums = [c for c in r.cols if c.kind in ("num", "int")][:4]
            tsc = [c for c in r.cols if c.kind in ("ts", "date")]
            cats = [c for c in r.cols if c.kind in ("enum", "bool")][:5]
            time_dim = tsc[0].name if tsc else "created_at"
            entities = [
                {
                    "name": r.pk[:-3],
                    "type": "primary",
                    "description": None,
                    "label": None,
                    "role": None,
                    "expr": r.pk,
                    "config": {"meta": {}},
                }
            ]
            entities += [
                {
                    "name": c.name[:-3],
                    "type": "foreign",
                    "description": None,
                    "label": None,
                    "role": None,
                    "expr": c.name,
                    "config": {"meta": {}},
                }
                for c in fks
            ]
            measures = [
                {
                    "name": f"{sm_name}_count",
                    "agg": "count",
                    "description": None,
                    "label": None,
                    "create_metric": False,
                    "expr": "1",
                    "agg_params": None,
                    "non_additive_dimension": None,
                    "agg_time_dimension": None,
                    "config": {"meta": {}},
                }
            ]
            for c in nums:
                measures.append(
                    {
                        "name": f"{sm_name}_{c.name}_total",
                        "agg": "sum",
                        "description": c.desc or None,
                        "label": None,
                        "create_metric": False,
                        "expr": c.name,
                        "agg_params": None,
                        "non_additive_dimension": None,
                        "agg_time_dimension": None,
                        "config": {"meta": {}},
                    }
                )
            dims = [
                {
                    "name": time_dim,
                    "type": "time",
                    "description": None,
                    "label": None,
                    "is_partition": False,
                    "type_params": {"time_granularity": "day", "validity_params": None},
                    "expr": time_dim,
                    "metadata": None,
                    "config": {"meta": {}},
                }
            ]
            dims += [
                {
                    "name": c.name,
                    "type": "categorical",
                    "description": None,
                    "label": None,
                    "is_partition": False,
                    "type_params": None,
                    "expr": None,
                    "metadata": None,
                    "config": {"meta": {}},
                }
                for c in cats
            ]
            yml_path = r.yml[len("models/") :]
            self.semantic_models[uid] = {
                "name": sm_name,
                "resource_type": "semantic_model",
                "package_name": pkg,
                "path": yml_path,
                "original_file_path": r.yml,
                "unique_id": uid,
                "fqn": [pkg] + r.path.split("/")[:-1] + [sm_name],
                "model": f"ref('{r.name}')",
                "node_relation": {
                    "alias": r.alias,
                    "schema_name": r.schema,
                    "database": self.database,
                    "relation_name": r.relation,
                },
                "description": f"Semantic model over {r.name}.\n",
                "label": None,
                "defaults": {"agg_time_dimension": time_dim},
                "entities": entities,
                "measures": measures,
                "dimensions": dims,
                "metadata": None,
                "depends_on": {"macros": [], "nodes": [r.uid]},
                "refs": [_ref(r.name)],
                "created_at": self.ts(),
                "config": {"enabled": True, "group": r.group, "meta": {}},
                "unrendered_config": {},
                "primary_entity": None,
                "group": r.group,
            }
            for m in measures[:3]:
                self.add_metric(m["name"], "simple", uid, r, measure=m["name"])
        # a few derived / ratio metrics over the simple ones
        simple = list(self.metrics.values())
        for i in range(max(1, len(simple) // 6)):
            a, b = rng.sample(simple, 2) if len(simple) > 1 else (simple[0], simple[0])
            if i % 2 == 0:
                self.add_metric(
                    f"{a['name']}_per_{b['name']}",
                    "ratio",
                    None,
                    None,
                    num=a["name"],
                    den=b["name"],
                )
            else:
                self.add_metric(
                    f"{a['name']}_minus_{b['name']}",
                    "derived",
                    None,
                    None,
                    inputs=[a["name"], b["name"]],
                )
        # saved queries
        names = list(self.metrics)
        for i in range(max(1, len(self.semantic_models) // 5)):
            ms = rng.sample(names, min(len(names), rng.randint(2, 4)))
            nm = f"saved_query_{i + 1}_{self.metrics[ms[0]]['name']}"
            uid = f"saved_query.{pkg}.{nm}"
            self.saved_queries[uid] = {
                "name": nm,
                "resource_type": "saved_query",
                "package_name": pkg,
                "path": "marts/_saved_queries.yml",
                "original_file_path": "models/marts/_saved_queries.yml",
                "unique_id": uid,
                "fqn": [pkg, "marts", nm],
                "query_params": {
                    "metrics": [self.metrics[m]["name"] for m in ms],
                    "group_by": ["TimeDimension('metric_time', 'day')"],
                    "where": None,
                    "order_by": [],
                    "limit": None,
                },
                "exports": [
                    {
                        "name": nm,
                        "config": {
                            "export_as": "table",
                            "schema_name": self.target_schema,
                            "alias": nm,
                            "database": self.database,
                        },
                        "unrendered_config": {"export_as": "table"},
                    }
                ],
                "description": None,
                "label": None,
                "metadata": None,
                "config": {
                    "enabled": True,
                    "group": None,
                    "meta": {},
                    "export_as": None,
                    "schema": None,
                    "cache": {"enabled": False},
                },
                "unrendered_config": {},
                "group": None,
                "depends_on": {"macros": [], "nodes": ms},
                "created_at": self.ts(),
                "refs": [],
                "tags": [],
            }

    def add_metric(self, name, mtype, sm_uid, r, measure=None, num=None, den=None, inputs=None):
        pkg = self.pkg
        uid = f"metric.{pkg}.{name}"
        if uid in self.metrics:
            return

        def mi(n):
            return {
                "name": n,
                "filter": None,
                "alias": None,
                "join_to_timespine": False,
                "fill_nulls_with": None,
            }

        def mref(n, alias=None):
            return {
                "name": n,
                "filter": None,
                "alias": alias,
                "offset_window": None,
                "offset_to_grain": None,
            }

        tp = {
            "measure": None,
            "input_measures": [],
            "numerator": None,
            "denominator": None,
            "expr": None,
            "window": None,
            "grain_to_date": None,
            "metrics": [],
            "conversion_type_params": None,
            "cumulative_type_params": None,
        }
        if mtype == "simple":
            tp["measure"] = mi(measure)
            tp["input_measures"] = [mi(measure)]
            deps = [sm_uid]
        elif mtype == "ratio":
            tp["numerator"] = mref(num)
            tp["denominator"] = mref(den)
            tp["input_measures"] = (
                self.metrics[f"metric.{pkg}.{num}"]["type_params"]["input_measures"]
                + self.metrics[f"metric.{pkg}.{den}"]["type_params"]["input_measures"]
            )
            deps = sorted({f"metric.{pkg}.{num}", f"metric.{pkg}.{den}"})
        else:
            tp["expr"] = f"{inputs[0]} - {inputs[1]}"
            tp["metrics"] = [mref(x) for x in inputs]
            tp["input_measures"] = (
                self.metrics[f"metric.{pkg}.{inputs[0]}"]["type_params"]["input_measures"]
                + self.metrics[f"metric.{pkg}.{inputs[1]}"]["type_params"]["input_measures"]
            )
            deps = sorted({f"metric.{pkg}.{x}" for x in inputs})
        path = "marts/_metrics.yml" if r is None else r.yml[len("models/") :]
        self.metrics[uid] = {
            "name": name,
            "resource_type": "metric",
            "package_name": pkg,
            "path": path,
            "original_file_path": f"models/{path}",
            "unique_id": uid,
            "fqn": [pkg] + path.split("/")[:-1] + [name],
            "description": f"{_human(name).capitalize()}.",
            "label": _human(name).title(),
            "type": mtype,
            "type_params": tp,
            "filter": None,
            "metadata": None,
            "time_granularity": None,
            "meta": {},
            "tags": [],
            "config": {"enabled": True, "group": r.group if r else None, "meta": {}},
            "unrendered_config": {},
            "sources": [],
            "depends_on": {"macros": [], "nodes": deps},
            "refs": [],
            "metrics": [],
            "created_at": self.ts(),
            "group": r.group if r else None,
        }

    # -- exposures, groups, disabled, selectors ----------------------------------------
    def build_exposures(self):
        rng = self.rng
        pkg = self.pkg
        marts = [
            r for r in self.models if r.layer == "marts" and r.mat != "ephemeral" and r.version != 1
        ]
        by_domain: dict[str, list[Rel]] = {}
        for r in marts:
            by_domain.setdefault(r.domain, []).append(r)
        n = max(1, self.n_models // 100)
        kinds = ["dashboard"] * 6 + ["notebook", "analysis", "ml", "application"]
        tools = {
            "dashboard": "https://looker.example.com/dashboards/",
            "notebook": "https://hex.example.com/app/",
            "analysis": "https://docs.example.com/analysis/",
            "ml": "https://mlflow.example.com/models/",
            "application": "https://admin.example.com/apps/",
        }
        for i in range(n):
            d = rng.choice(sorted(by_domain)) if by_domain else None
            pool = by_domain.get(d) or marts
            k = min(len(pool), rng.randint(2, 6))
            deps = rng.sample(pool, k)
            typ = rng.choice(kinds)
            nm = self.unique_name([f"{d}_{typ}_{rng.choice(ENTITIES)}"])
            uid = f"exposure.{pkg}.{nm}"
            team = rng.choice(TEAMS)
            self.exposures[uid] = {
                "name": nm,
                "resource_type": "exposure",
                "package_name": pkg,
                "path": f"marts/{d}/_{d}__exposures.yml",
                "original_file_path": f"models/marts/{d}/_{d}__exposures.yml",
                "unique_id": uid,
                "fqn": [pkg, "marts", d, nm],
                "type": typ,
                "owner": {"email": f"{team}@example.com", "name": team.replace("-", " ").title()},
                "description": f"{_human(nm).capitalize()} used by the {_human(d)} team.",
                "label": _human(nm).title(),
                "maturity": rng.choice(["low", "medium", "high", "high"]),
                "meta": {},
                "tags": [],
                "config": {"enabled": True, "tags": [], "meta": {}},
                "unrendered_config": {},
                "url": f"{tools[typ]}{1000 + i}",
                "depends_on": {"macros": [], "nodes": [r.uid for r in deps]},
                "refs": [_ref(r.name) for r in deps],
                "sources": [],
                "metrics": [],
                "created_at": self.ts(),
            }

    def build_groups(self):
        used = sorted({r.group for r in self.models if r.group})
        for gname, label, email in GROUPS:
            uid = f"group.{self.pkg}.{gname}"
            self.groups[uid] = {
                "name": gname,
                "resource_type": "group",
                "package_name": self.pkg,
                "path": "groups.yml",
                "original_file_path": "models/groups.yml",
                "unique_id": uid,
                "owner": {"email": email, "name": label},
                "description": f"Models owned by {label}.",
                "config": {"meta": {}},
            }
        self.used_groups = used

    def build_disabled(self):
        rng = self.rng
        n = max(1, self.n_models // 1000)
        for _i in range(n):
            src = rng.choice([r for r in self.models if r.layer == "marts"])
            node = json.loads(json.dumps(self.nodes[src.uid]))
            nm = self.unique_name([f"{src.name}_legacy"])
            uid = f"model.{self.pkg}.{nm}"
            node.update(
                {
                    "name": nm,
                    "unique_id": uid,
                    "alias": nm,
                    "fqn": node["fqn"][:-1] + [nm],
                    "path": node["path"].rsplit("/", 1)[0] + f"/{nm}.sql",
                    "original_file_path": node["original_file_path"].rsplit("/", 1)[0]
                    + f"/{nm}.sql",
                    "relation_name": self.relation_name(src.schema, nm),
                    "compiled": False,
                    "version": None,
                    "latest_version": None,
                    "deprecation_date": None,
                    "patch_path": None,
                    "columns": {},
                    "description": "",
                }
            )
            for k in ("compiled_code", "extra_ctes", "extra_ctes_injected"):
                node.pop(k, None)
            node["compiled_path"] = None
            node["config"]["enabled"] = False
            node["unrendered_config"]["enabled"] = False
            self.disabled[uid] = [node]

    def selectors(self):
        return {
            "nightly": {
                "name": "nightly",
                "description": "Everything except hourly models",
                "definition": {
                    "union": [
                        {"method": "fqn", "value": "*"},
                        {"exclude": [{"method": "tag", "value": "hourly"}]},
                    ]
                },
                "default": True,
            },
            "marts_only": {
                "name": "marts_only",
                "description": "All marts and their tests",
                "definition": {"method": "path", "value": "models/marts"},
                "default": False,
            },
        }

    # -- maps --------------------------------------------------------------------------
    def build_maps(self):
        parent: dict[str, list[str]] = {}
        sections = [
            self.nodes,
            self.sources,
            self.exposures,
            self.metrics,
            self.semantic_models,
            self.saved_queries,
            self.unit_tests,
        ]
        for sec in sections:
            for uid, v in sec.items():
                dep = v.get("depends_on", {}).get("nodes", [])
                parent[uid] = sorted(set(dep))
        child: dict[str, list[str]] = {k: [] for k in parent}
        for k, ps in parent.items():
            for p in ps:
                child[p].append(k)
        for k in child:
            child[k].sort()
        self.parent_map, self.child_map = parent, child
        gm: dict[str, list[str]] = {g["name"]: [] for g in self.groups.values()}
        for sec in (self.nodes, self.saved_queries, self.semantic_models, self.metrics):
            for uid, v in sec.items():
                g = v.get("group")
                if g in gm:
                    gm[g].append(uid)
        self.group_map = gm

    # -- manifest ----------------------------------------------------------------------
    def manifest(self) -> dict:
        return {
            "metadata": {
                "dbt_schema_version": MANIFEST_SCHEMA,
                "dbt_version": DBT_VERSION,
                "generated_at": _iso_z(self.base_ts - 600.123),
                "invocation_id": self.invocation_id,
                "invocation_started_at": _iso_off(self.base_ts - 905.5),
                "env": {},
                "project_name": self.pkg,
                "project_id": _md5(self.pkg),
                "user_id": _uuid(random.Random(f"user-{self.seed}")),
                "send_anonymous_usage_stats": False,
                "adapter_type": self.adapter,
                "quoting": {"database": True, "schema": True, "identifier": True, "column": None},
                "run_started_at": _iso_off(self.base_ts - 905.4),
            },
            "nodes": self.nodes,
            "sources": self.sources,
            "macros": self.macros,
            "docs": self.docs,
            "exposures": self.exposures,
            "metrics": self.metrics,
            "groups": self.groups,
            "selectors": self.selectors(),
            "disabled": self.disabled,
            "parent_map": self.parent_map,
            "child_map": self.child_map,
            "group_map": self.group_map,
            "saved_queries": self.saved_queries,
            "semantic_models": self.semantic_models,
            "unit_tests": self.unit_tests,
            "functions": {},
        }

    # -- catalog -----------------------------------------------------------------------
    def stats(self, is_table: bool, rng: random.Random) -> dict:
        st = {}
        if is_table:
            rows = int(rng.lognormvariate(11, 2.2))
            st["row_count"] = {
                "id": "row_count",
                "label": "Row Count",
                "value": rows,
                "include": True,
                "description": "An approximate count of rows in this table",
            }
            st["bytes"] = {
                "id": "bytes",
                "label": "Approximate Size",
                "value": rows * rng.randint(60, 400),
                "include": True,
                "description": "Approximate size of the table as reported by the warehouse",
            }
        st["has_stats"] = {
            "id": "has_stats",
            "label": "Has Stats?",
            "value": is_table,
            "include": False,
            "description": "Indicates whether there are statistics for this table",
        }
        return st

    def catalog(self) -> dict:
        rng = random.Random(f"catalog-{self.seed}")
        owner = "transformer" if self.adapter == "postgres" else None
        types = self.types

        def table(r: Rel, ttype: str, extra: int):
            cols = {}
            i = 0
            for c in r.cols:
                i += 1
                cols[c.name] = {"type": types[c.kind], "index": i, "name": c.name, "comment": None}
            for j in range(extra):
                i += 1
                nm = ["_loaded_at", "_dbt_updated_at", "_row_hash", "_batch_id"][j]
                cols[nm] = {
                    "type": types["ts"] if j < 2 else types["str"],
                    "index": i,
                    "name": nm,
                    "comment": None,
                }
            return {
                "metadata": {
                    "type": ttype,
                    "schema": r.schema,
                    "name": r.alias,
                    "database": self.database
                    if r.layer != "source"
                    else self.sources[r.uid]["database"],
                    "comment": None,
                    "owner": owner,
                },
                "columns": cols,
                "stats": self.stats(ttype == "BASE TABLE", rng),
                "unique_id": r.uid,
            }

        nodes = {}
        for r in self.order:
            if r.mat == "ephemeral":
                continue
            ttype = "VIEW" if r.mat == "view" else "BASE TABLE"
            extra = rng.randint(1, 3) if rng.random() < 0.1 else 0
            if r.mat != "incremental":
                # Deliberate imperfection: only an incremental model's table keeps columns its
                # SQL no longer selects (on_schema_change='append_new_columns' never drops
                # one), so ~1 in 10 of them has 1-3 such columns and its lineage is partial.
                extra = 0
            nodes[r.uid] = table(r, ttype, extra)
        sources = {s.uid: table(s, "BASE TABLE", 0) for s in self.src_rels}
        self.catalog_columns = sum(len(v["columns"]) for v in nodes.values()) + sum(
            len(v["columns"]) for v in sources.values()
        )
        return {
            "metadata": {
                "dbt_schema_version": CATALOG_SCHEMA,
                "dbt_version": DBT_VERSION,
                "generated_at": _iso_z(self.base_ts + 3600.5),
                "invocation_id": _uuid(rng),
                "invocation_started_at": _iso_z(self.base_ts + 3590.2),
                "env": {},
            },
            "nodes": nodes,
            "sources": sources,
            "errors": None,
        }

    # -- source freshness --------------------------------------------------------------
    def sources_json(self) -> dict:
        rng = random.Random(f"freshness-{self.seed}")
        t0 = self.base_ts - 1800.0
        results = []
        threads = 4
        free = [t0 + 1.1] * threads
        for s in self.src_rels:
            src = self.sources[s.uid]
            crit = src["freshness"]
            if crit["warn_after"]["count"] is None:
                continue
            th = min(range(threads), key=lambda i: free[i])
            start = free[th]
            dur = round(rng.uniform(0.03, 0.9), 6)
            free[th] = start + dur + 0.002
            r = rng.random()
            warn_s = crit["warn_after"]["count"] * 3600
            err_s = crit["error_after"]["count"] * 3600
            if r < 0.015:
                results.append(
                    {
                        "unique_id": s.uid,
                        "error": (
                            f"Database Error in source {s.name} ({src['original_file_path']})\n  "
                            f'relation "{s.schema}.{s.name}" does not exist'
                        ),
                        "status": "runtime error",
                    }
                )
                continue
            if r < 0.85:
                ago, status = rng.uniform(60, warn_s * 0.9), "pass"
            elif r < 0.95:
                ago, status = rng.uniform(warn_s, err_s * 0.99), "warn"
            else:
                ago, status = rng.uniform(err_s, err_s * 6), "error"
            snap = start + dur
            results.append(
                {
                    "unique_id": s.uid,
                    "max_loaded_at": datetime.fromtimestamp(snap - ago, UTC).strftime(
                        "%Y-%m-%dT%H:%M:%S+00:00"
                    ),
                    "snapshotted_at": _iso_off(snap),
                    "max_loaded_at_time_ago_in_s": round(ago, 6),
                    "status": status,
                    "criteria": crit,
                    "adapter_response": self.adapter_response("SELECT", 1),
                    "timing": [
                        {
                            "name": "compile",
                            "started_at": _iso_z(start),
                            "completed_at": _iso_z(start + 0.001),
                        },
                        {
                            "name": "execute",
                            "started_at": _iso_z(start + 0.001),
                            "completed_at": _iso_z(start + dur),
                        },
                    ],
                    "thread_id": f"Thread-{th + 1} (worker)",
                    "execution_time": dur,
                }
            )
        end = max(free)
        return {
            "metadata": {
                "dbt_schema_version": SOURCES_SCHEMA,
                "dbt_version": DBT_VERSION,
                "generated_at": _iso_z(end + 0.3),
                "invocation_id": _uuid(rng),
                "invocation_started_at": _iso_z(t0),
                "env": {},
            },
            "results": results,
            "elapsed_time": round(end - t0 + 1.4, 6),
        }

    def adapter_response(self, code: str, rows: int, msg: str | None = None) -> dict:
        if self.adapter == "duckdb":
            return {"_message": "OK"}
        if msg is None:
            msg = f"{code} {rows}" if rows >= 0 else code
        return {"_message": msg, "code": code, "rows_affected": rows}

    # -- run results -------------------------------------------------------------------
    def run_results(self, run_index: int) -> dict:
        """A ``dbt build`` run; run_index 0 is the newest, k is k days older."""
        rng = random.Random(f"run-{self.seed}-{run_index}")
        t0 = self.base_ts - run_index * 86400.0 + rng.uniform(-600, 600)
        threads = 8
        # executable order: unit tests -> model -> its tests, models in topo order
        pos = {r.uid: i for i, r in enumerate(self.order)}
        tests_by_node: dict[str, list[str]] = {}
        for uid in self.tests:
            key = max(self.nodes[uid]["depends_on"]["nodes"], key=lambda d: pos.get(d, -1))
            tests_by_node.setdefault(key, []).append(uid)
        units_by_node: dict[str, list[str]] = {}
        for uid, u in self.unit_tests.items():
            units_by_node.setdefault(u["depends_on"]["nodes"][0], []).append(uid)
        src_tests = [u for s in self.src_rels for u in tests_by_node.get(s.uid, [])]
        seq: list[str] = list(src_tests)
        for r in self.order:
            seq += units_by_node.get(r.uid, [])
            seq.append(r.uid)
            seq += tests_by_node.get(r.uid, [])
        # statuses: choose a few failures, skip their descendants
        status: dict[str, str] = {}
        fail_roots = []
        for uid in seq:
            rt = uid.split(".", 1)[0]
            x = rng.random()
            if rt == "model" and self.nodes[uid]["config"]["materialized"] != "ephemeral":
                if x < 0.0025:
                    fail_roots.append((uid, "error"))
            elif rt == "test":
                sev = self.nodes[uid]["config"]["severity"]
                if sev == "warn":
                    if x < 0.3:
                        status[uid] = "warn"
                elif x < 0.004:
                    fail_roots.append((uid, "fail"))
                elif x < 0.0045:
                    fail_roots.append((uid, "error"))
            elif rt == "unit_test" and x < 0.03:
                fail_roots.append((uid, "fail"))
        skipped: set[str] = set()
        for uid, st in fail_roots:
            rt = uid.split(".", 1)[0]
            start = (
                uid
                if rt == "model"
                else (
                    self.nodes[uid].get("attached_node")
                    if rt == "test"
                    else self.unit_tests[uid]["depends_on"]["nodes"][0]
                    if rt == "unit_test"
                    else None
                )
            )
            desc = self.descendants(start, limit=40) if start else []
            if desc is None:  # would cascade too far: keep it green this time
                continue
            status[uid] = st
            own_tests = set(self.child_map.get(start, ())) if rt != "model" else set()
            for d in desc:
                if d != uid and d != start and d not in own_tests:
                    skipped.add(d)
            if rt == "unit_test" and start:
                skipped.add(start)
                skipped.update(tests_by_node.get(start, []))
        # simulate the schedule
        free = [(t0 + 2.5, i) for i in range(threads)]
        heapq.heapify(free)
        done: dict[str, float] = {}
        results = []
        for uid in seq:
            rt = uid.split(".", 1)[0]
            if rt == "unit_test":
                node = self.unit_tests[uid]
            else:
                node = self.nodes[uid]
            deps = node["depends_on"]["nodes"] if rt != "seed" else []
            ready = t0 + 2.5
            for d in deps:
                f = done.get(d)
                if f is not None and f > ready:
                    ready = f
            if rt == "model" and node["config"]["materialized"] == "ephemeral":
                done[uid] = ready
                continue
            free_at, th = heapq.heappop(free)
            start = max(ready, free_at)
            st = status.get(uid)
            if uid in skipped:
                st = "skipped"
            if st is None:
                st = "pass" if rt in ("test", "unit_test") else "success"
            mat = node.get("config", {}).get("materialized")
            if st == "skipped":
                dur = 0.0
            elif rt == "test":
                dur = rng.lognormvariate(-1.2, 0.9)
            elif rt == "unit_test":
                dur = rng.lognormvariate(-1.5, 0.5)
            elif mat == "view":
                dur = rng.lognormvariate(-2.0, 0.6)
            elif mat == "seed":
                dur = rng.lognormvariate(0.2, 0.5)
            else:
                dur = min(900.0, rng.lognormvariate(0.8 if mat == "table" else 1.3, 1.2))
            if st == "error":
                dur = min(dur, rng.uniform(0.05, 1.5))
            comp_t = rng.uniform(0.002, 0.03) if st != "skipped" else 0.0
            end = start + comp_t + dur
            heapq.heappush(free, (end + 0.0005, th))
            done[uid] = end
            results.append(self.result(uid, rt, node, st, start, comp_t, end, th, rng))
        results.sort(key=lambda x: x[0])
        out = [x[1] for x in results]
        end = max(done.values()) if done else t0
        return {
            "metadata": {
                "dbt_schema_version": RUN_RESULTS_SCHEMA,
                "dbt_version": DBT_VERSION,
                "generated_at": _iso_z(end + 1.7),
                "invocation_id": self.invocation_id if run_index == 0 else _uuid(rng),
                "invocation_started_at": _iso_z(t0),
                "env": {},
            },
            "results": out,
            "elapsed_time": round(end - t0 + 1.2, 6),
            "args": self.args(rng),
        }

    def descendants(self, uid: str, limit: int):
        seen = {uid}
        stack = [uid]
        while stack:
            for c in self.child_map.get(stack.pop(), ()):
                if c not in seen and not c.startswith(
                    ("exposure.", "metric.", "semantic_model.", "saved_query.")
                ):
                    seen.add(c)
                    if len(seen) > limit:
                        return None
                    stack.append(c)
        return sorted(seen)

    def result(self, uid, rt, node, st, start, comp_t, end, th, rng):
        timing = []
        if st != "skipped":
            timing = [
                {
                    "name": "compile",
                    "started_at": _iso_z(start),
                    "completed_at": _iso_z(start + comp_t),
                },
                {
                    "name": "execute",
                    "started_at": _iso_z(start + comp_t + 0.0003),
                    "completed_at": _iso_z(end),
                },
            ]
        exec_time = round(end - start + 0.004, 6) if st != "skipped" else 0
        failures = None
        message = None
        resp = {}
        compiled = st != "skipped"
        code = None
        relation = None
        if rt == "unit_test":
            compiled_code = (
                (
                    f"-- unit test for {node['model']}\nselect * from "
                    f"(select 1 as id) as dbt_internal_unit_test_actual"
                )
                if compiled
                else None
            )
            if st == "pass":
                failures, resp = 0, self.adapter_response("SELECT", 2)
            elif st == "fail":
                failures = 1
                message = (
                    "actual differs from expected:\n\n@@ ,id ,status\n→  ,1  ,active→cancelled\n"
                )
                resp = self.adapter_response("SELECT", 2)
            return (
                end,
                {
                    "status": st,
                    "timing": timing,
                    "thread_id": f"Thread-{th + 1} (worker)",
                    "execution_time": exec_time,
                    "adapter_response": resp,
                    "message": message,
                    "failures": failures,
                    "unique_id": uid,
                    "compiled": compiled if compiled else False,
                    "compiled_code": compiled_code,
                    "relation_name": None,
                    "batch_results": None,
                },
            )
        if rt == "test":
            if st in ("pass", "warn", "fail"):
                n = 0 if st == "pass" else int(rng.lognormvariate(1.5, 1.5)) + 1
                failures = n
                resp = self.adapter_response("SELECT", 1)
                if st != "pass":
                    message = (
                        f"Got {n} result{'s' if n != 1 else ''}, configured to "
                        f"{'warn' if st == 'warn' else 'fail'} if != 0"
                    )
            elif st == "error":
                message = (
                    f"Database Error in test {node['name']} "
                    f'({node["original_file_path"]})\n  column "{node.get("column_name") or "id"}" '
                    f"does not exist\n  compiled code at {node['compiled_path']}"
                )
        elif st in ("success",):
            mat = node["config"]["materialized"]
            rows = int(rng.lognormvariate(9, 2.5))
            if rt == "seed":
                message = f"INSERT {rows % 5000}"
                resp = self.adapter_response("INSERT", rows % 5000)
            elif mat == "view":
                resp = self.adapter_response("CREATE VIEW", -1)
                message = resp["_message"]
            elif mat == "incremental":
                resp = self.adapter_response("INSERT", rows % 20000, f"INSERT 0 {rows % 20000}")
                message = resp["_message"]
            else:
                resp = self.adapter_response("SELECT", rows)
                message = resp["_message"]
        elif st == "error":
            message = (
                f"Runtime Error in model {node['name']} ({node['original_file_path']})"
                f'\n  Binder Error: Referenced column "legacy_id" not found in FROM '
                f'clause!\n  Candidate bindings: "{node["name"]}.id"'
            )
        if rt in ("model", "snapshot"):
            relation = node["relation_name"]
        if compiled and rt != "seed":
            code = node.get("compiled_code")
        return (
            end,
            {
                "status": st,
                "timing": timing,
                "thread_id": f"Thread-{th + 1} (worker)",
                "execution_time": exec_time,
                "adapter_response": resp,
                "message": message,
                "failures": failures,
                "unique_id": uid,
                "compiled": (compiled and rt != "seed") if rt != "seed" else None,
                "compiled_code": code,
                "relation_name": relation,
                "batch_results": None,
            },
        )

    def args(self, rng) -> dict:
        root = f"/home/runner/work/{self.pkg}/{self.pkg}"
        return {
            "which": "build",
            "select": [],
            "exclude": [],
            "selector": None,
            "resource_types": [],
            "exclude_resource_types": [],
            "indirect_selection": "eager",
            "threads": 8,
            "target": "prod",
            "profiles_dir": "/home/runner/.dbt",
            "project_dir": root,
            "vars": {},
            "full_refresh": False,
            "fail_fast": False,
            "defer": False,
            "favor_state": False,
            "state_modified_compare_more_unrendered_values": False,
            "store_failures": False,
            "empty": False,
            "write_json": True,
            "partial_parse": True,
            "partial_parse_file_diff": True,
            "static_parser": True,
            "use_colors": False,
            "printer_width": 80,
            "log_level": "info",
            "log_level_file": "debug",
            "log_format": "default",
            "log_format_file": "debug",
            "log_path": f"{root}/logs",
            "log_file_max_bytes": 10485760,
            "quiet": False,
            "print": True,
            "introspect": True,
            "macro_debugging": False,
            "populate_cache": True,
            "cache_selected_only": False,
            "version_check": True,
            "send_anonymous_usage_stats": False,
            "show_resource_report": False,
            "warn_error_options": {"error": [], "warn": [], "silence": []},
            "require_explicit_package_overrides_for_builtin_materializations": True,
            "require_resource_names_without_spaces": True,
            "source_freshness_run_project_hooks": True,
            "skip_nodes_if_on_run_start_fails": False,
            "invocation_command": "dbt build --target prod",
        }


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def _dump(obj, path: Path) -> int:
    data = json.dumps(obj).encode("ascii")
    path.write_bytes(data)
    return len(data)


def _built(models: int, seed: int) -> _Project:
    p = _Project(models, seed)
    p.plan()
    p.build_macros()
    p.build_docs()
    p.build_sources()
    p.plan_models()
    p.build_model_nodes()
    p.build_tests()
    p.build_unit_tests()
    p.build_semantic()
    p.build_exposures()
    p.build_groups()
    p.build_disabled()
    p.build_maps()
    return p


def generate(out_dir: Path, models: int, runs: int = 1, seed: int = 0) -> dict:
    """Generate a synthetic dbt project's artifacts into ``out_dir``.

    Returns counts: nodes per resource type, columns, tests, bytes per file, seconds.
    """
    t_start = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if runs < 1:
        raise ValueError("runs must be >= 1")
    p = _built(models, seed)
    sizes = {}
    sizes["manifest.json"] = _dump(p.manifest(), out_dir / "manifest.json")
    sizes["catalog.json"] = _dump(p.catalog(), out_dir / "catalog.json")
    sizes["sources.json"] = _dump(p.sources_json(), out_dir / "sources.json")
    rr_status: dict[str, int] = {}
    for i in range(runs):
        rr = p.run_results(i)
        if i == 0:
            for x in rr["results"]:
                rr_status[x["status"]] = rr_status.get(x["status"], 0) + 1
        name = "run_results.json" if i == 0 else f"run_results_{i:03d}.json"
        sizes[name] = _dump(rr, out_dir / name)
    by_type: dict[str, int] = {}
    for v in p.nodes.values():
        by_type[v["resource_type"]] = by_type.get(v["resource_type"], 0) + 1
    generic = sum(1 for u in p.tests if "test_metadata" in p.nodes[u])
    return {
        "adapter_type": p.adapter,
        "project_name": p.pkg,
        "nodes": by_type,
        "sources": len(p.sources),
        "source_definitions": len({s["source_name"] for s in p.sources.values()}),
        "exposures": len(p.exposures),
        "metrics": len(p.metrics),
        "semantic_models": len(p.semantic_models),
        "saved_queries": len(p.saved_queries),
        "unit_tests": len(p.unit_tests),
        "groups": len(p.groups),
        "macros": len(p.macros),
        "project_macros": len(p.project_macros),
        "docs": len(p.docs),
        "disabled": len(p.disabled),
        "versioned_model_nodes": sum(1 for r in p.models if r.version is not None),
        "contracted_models": sum(1 for r in p.models if r.contract),
        "columns": {
            "model": sum(len(p.nodes[r.uid]["columns"]) for r in p.models),
            "source": sum(len(s["columns"]) for s in p.sources.values()),
            "catalog": p.catalog_columns,
        },
        "tests": {
            "total": len(p.tests),
            "generic": generic,
            "singular": len(p.tests) - generic,
            "unit": len(p.unit_tests),
        },
        "run_results_status": dict(sorted(rr_status.items())),
        "bytes": sizes,
        "bytes_four_files": sum(
            sizes[k] for k in ("manifest.json", "catalog.json", "sources.json", "run_results.json")
        ),
        "seconds": round(time.perf_counter() - t_start, 2),
    }


def run_results_series(models: int, runs: int, seed: int = 0):
    """(index, run_results dict) for runs 0..runs-1 of the project ``generate`` writes for the
    same models and seed: run 0 is its run_results.json, run k is k days older. One at a
    time, so that 90 runs of a 10k-model project need not sit on disk together."""
    p = _built(models, seed)
    for i in range(runs):
        yield i, p.run_results(i)


def cached_project(models: int, runs: int = 1) -> Path:
    """The project of `models` models under bench/out/, generated on first use.

    Keyed by size, runs and this file's modification time, so a changed generator makes a
    new project; the benchmarks share it.
    """
    bench = Path(__file__).resolve().parent
    stamp = int(Path(__file__).stat().st_mtime)
    out = bench / "out" / f"{models}-models-{runs}-runs-{stamp}"
    if not (out / ".complete").exists():
        print(f"generating {models} models into {out} ...", flush=True)
        generate(out, models=models, runs=runs, seed=0)
        (out / ".complete").touch()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", type=int, required=True, help="number of model nodes")
    ap.add_argument("--out", type=Path, required=True, help="output directory")
    ap.add_argument("--runs", type=int, default=1, help="number of run_results files")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    counts = generate(a.out, a.models, a.runs, a.seed)
    json.dump(counts, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

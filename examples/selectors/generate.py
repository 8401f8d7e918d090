"""Ask real dbt which nodes each selector of a corpus selects, for Lantern's selection tests.

    python3 -m venv .venv-dbt
    .venv-dbt/bin/pip install 'dbt-core>=1.11,<1.12' 'dbt-duckdb>=1.10,<1.12'
    .venv-dbt/bin/python examples/selectors/generate.py

Runs `dbt ls --select ... [--exclude ...] --resource-type all --output json --output-keys
unique_id` on the example project (examples/bikeshare/) for every selector of CORPUS below and
writes what dbt listed to tests/fixtures/selectors/bikeshare.json. tests/lineage/
test_selection_dbt.py loads examples/artifacts/ (the same project, built by the same dbt) and
requires Lantern to select exactly the same nodes, selector by selector; the tests need no dbt.

dbt is driven through its programmatic entry point (dbtRunner): the project is parsed once and
every `ls` reuses that manifest, which is what `dbt ls` would compute from a fresh parse.
dbt's target/, logs/ and the DuckDB file go to a temporary folder: nothing is written into the
repository except the fixture.

What `dbt ls` lists, and so what the fixture can compare: `--resource-type all` lists models,
seeds, snapshots, tests, unit tests, sources, exposures, metrics, semantic models, saved
queries, functions and analyses. It never lists macros, groups, docs or hooks, so selectors
that could only reach those (`path:macros`, `resource_type:macro`) are not in the corpus.

Not in the corpus, on purpose:
- `state:`, `result:` and `source_status:` compare with a previous run (`--state`); the
  artifacts hold one project state, so Lantern refuses these methods with a clear message.
- Selectors dbt rejects (`@a+`, unknown methods) are in tests/lineage/test_selection_parse.py.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PROJECT = ROOT / "examples" / "bikeshare"
ARTIFACTS = ROOT / "examples" / "artifacts"
OUT = ROOT / "tests" / "fixtures" / "selectors" / "bikeshare.json"
RESOURCE_TYPES = "all"

# (select, exclude, what it exercises). An empty select means dbt's default includes.
CORPUS: list[tuple[str, str, str]] = [
    # fqn: names, folders, dotted paths, wildcards, versions
    ("fct_trips", "", "a model by name (default method fqn)"),
    ("fqn:fct_trips", "", "explicit fqn"),
    ("marts", "", "a folder of the fqn"),
    ("bikeshare.marts.finance", "", "a package-scoped dotted fqn prefix"),
    ("marts.finance.*", "", "a wildcard after a dotted prefix"),
    ("staging.billing", "", "an unscoped dotted fqn prefix"),
    ("stg_*", "", "a wildcard name"),
    ("*__trips", "", "a leading wildcard"),
    ("stg_bike_ops__?ikes", "", "a ? wildcard"),
    ("fqn:*", "", "everything but sources"),
    ("dim_riders", "", "a versioned model: every version"),
    ("dim_riders.v2", "", "one version, dotted"),
    ("dim_riders_v3", "", "one version, underscored"),
    ("marts.riders.dim_riders", "", "a versioned model by dotted path"),
    ("nonexistent_model", "", "nothing matches: an empty set, not an error"),
    # tag
    ("tag:mart", "", "a tag"),
    ("tag:fleet*", "", "a tag wildcard"),
    ("tag:finance_close", "", "a tag on a model, a singular test and a unit test"),
    ("tag:fleet_platform", "", "a tag on sources (and their tests)"),
    ("tag:nope", "", "an unknown tag"),
    # source
    ("source:billing", "", "a source by name"),
    ("source:bike_ops.trips", "", "a source table"),
    ("source:bikeshare.weather.*", "", "package.source.table with a wildcard"),
    ("source:billing.cust*", "", "a source table wildcard"),
    ("source:*", "", "every source"),
    ("source:bike_ops+", "", "a source and everything downstream"),
    # exposure, metric, semantic_model, saved_query, unit_test
    ("exposure:fleet_operations_dashboard", "", "an exposure"),
    ("+exposure:rider_app_profile", "", "an exposure and its parents"),
    ("exposure:bikeshare.van*", "", "package.exposure with a wildcard"),
    ("exposure:*", "", "every exposure"),
    ("metric:net_revenue", "", "a metric"),
    ("+metric:net_revenue", "", "a derived metric and its parents"),
    ("metric:revenue*", "", "a metric wildcard"),
    ("metric:bikeshare.trips+", "", "a metric and its children"),
    ("semantic_model:trips", "", "a semantic model"),
    ("+semantic_model:riders", "", "a semantic model on a versioned model"),
    ("semantic_model:*+", "", "semantic models and everything downstream"),
    ("saved_query:weekly_network_kpis", "", "a saved query"),
    ("+saved_query:revenue_by_payment_kind", "", "a saved query and its parents"),
    ("saved_query:*", "", "every saved query"),
    ("unit_test:test_trip_duration_and_distance", "", "a unit test by name"),
    ("unit_test:*", "", "every unit test"),
    # group, access
    ("group:finance", "", "a group (models, seeds and metrics carry group config)"),
    ("group:rider_*", "", "a group wildcard"),
    ("group:operations,resource_type:model", "", "a group's models"),
    ("group:finance+", "", "a group and everything downstream"),
    ("access:public", "", "public models"),
    ("access:private", "", "private models"),
    ("access:protected,tag:staging", "", "access and tag"),
    # path and file
    ("path:models/staging", "", "a folder"),
    ("models/staging/billing", "", "a folder (default method path)"),
    ("path:models/marts/finance/", "", "a folder with a trailing slash"),
    ("path:models/marts/*/dim_*.sql", "", "a glob over files"),
    ("path:models/*/*", "", "a glob over folders and files"),
    ("path:models/**/_*.yml", "", "a recursive glob over YAML files"),
    ("path:models/**", "", "every folder under models/"),
    ("path:models/staging/bike_ops/_bike_ops__sources.yml", "", "a YAML file: sources"),
    ("path:models/marts/riders/_riders.yml", "", "a YAML file: patched models and tests"),
    ("path:seeds", "", "the seed folder"),
    ("path:tests", "", "the singular tests folder"),
    ("path:analyses", "", "the analyses folder"),
    ("path:models/nope", "", "a folder that does not exist"),
    ("file:fct_trips.sql", "", "a file name"),
    ("fct_trips.sql", "", "a file name (default method file)"),
    ("station_rebalancing_scores.py", "", "a Python model's file"),
    ("station_zones.csv", "", "a seed's file"),
    ("file:stg_bike_ops__*", "", "a file name wildcard"),
    ("file:dim_riders_v2", "", "a file stem"),
    ("file:_operations.yml", "", "a YAML file name: its tests (models are patched, not in it)"),
    # package
    ("package:bikeshare", "", "the project's package"),
    ("package:this", "", "'this' is the root project"),
    ("package:bike*", "", "a package wildcard"),
    ("package:other", "", "another package"),
    # resource_type
    ("resource_type:model", "", "models"),
    ("resource_type:seed", "", "seeds"),
    ("resource_type:snapshot", "", "snapshots"),
    ("resource_type:test", "", "data tests"),
    ("resource_type:unit_test", "", "unit tests"),
    ("resource_type:source", "", "sources"),
    ("resource_type:exposure", "", "exposures"),
    ("resource_type:metric", "", "metrics"),
    ("resource_type:semantic_model", "", "semantic models"),
    ("resource_type:saved_query", "", "saved queries"),
    ("resource_type:analysis", "", "analyses"),
    # config.<key>
    ("config.materialized:view", "", "a config value"),
    ("config.materialized:incremental", "", "an incremental model"),
    ("config.materialized:ephemeral+", "", "an ephemeral model and its children"),
    ("config.severity:warn", "", "test severity, lower case"),
    ("config.severity:WARN", "", "test severity is compared case-insensitively"),
    ("config.meta.domain:finance", "", "a nested config key"),
    ("config.contract.enforced:true", "", "a boolean config"),
    ("config.tags:pii", "", "a list config: membership"),
    ("config.access:public", "", "access under config"),
    ("config.group:operations", "", "group under config (sources have none)"),
    ("config.store_failures:false", "", "false, from dbt_project.yml"),
    ("config.persist_docs.relation:true", "", "a nested boolean"),
    ("config.enabled:true,resource_type:source", "", "sources are configurable"),
    ("config.nope:x", "", "a key no node has"),
    # test_type, test_name
    ("test_type:generic", "", "generic tests"),
    ("test_type:singular", "", "singular tests"),
    ("test_type:unit", "", "unit tests"),
    ("test_type:data", "", "data tests: generic and singular"),
    ("test_type:schema", "", "schema: the old name of generic"),
    ("test_name:unique", "", "a generic test's name"),
    ("test_name:not_negative", "", "a custom generic test"),
    ("test_name:accepted_*", "", "a test name wildcard"),
    ("test_name:test_revenue*", "", "a unit test's name"),
    ("test_name:assert_revenue_matches_payments", "", "singular tests have no test_name"),
    # version
    ("version:latest", "", "latest versions"),
    ("version:prerelease", "", "prerelease versions"),
    ("version:old", "", "old versions"),
    ("version:none", "", "unversioned models"),
    ("version:latest+", "", "the latest version and its children"),
    # graph operators
    ("+fct_trips", "", "all parents"),
    ("fct_trips+", "", "all children"),
    ("+fct_trips+", "", "parents and children"),
    ("1+fct_trips", "", "parents, depth 1"),
    ("fct_trips+1", "", "children, depth 1"),
    ("2+fct_revenue_daily+1", "", "both depths"),
    ("0+fct_trips", "", "depth 0 adds nothing"),
    ("3+exposure:fleet_operations_dashboard", "", "depth on a method selector"),
    ("@stg_bike_ops__stations", "", "@: children and all their parents"),
    ("@int_trips_enriched", "", "@ on an ephemeral model"),
    ("@source:weather", "", "@ on a source"),
    ("@+fct_payments", "", "@ with parents"),
    ("+stg_billing__customers", "", "parents of a staging model: its source"),
    ("stg_billing__customers+2", "", "children, depth 2"),
    # unions and intersections
    ("tag:staging tag:intermediate", "", "a union"),
    ("fct_trips dim_stations source:weather", "", "a union of three"),
    ("tag:mart,config.materialized:table", "", "an intersection"),
    ("+fct_trips,resource_type:model", "", "an intersection with a graph operator"),
    ("+exposure:*,tag:staging", "", "staging models some exposure depends on"),
    ("tag:staging,tag:fleet tag:pii", "", "a union of an intersection and a tag"),
    ("marts,access:public,tag:trips", "", "an intersection of three"),
    ("+fct_trips,fct_trips+", "", "parents and children intersect in the node and its tests"),
    # excludes
    ("+fct_trips", "resource_type:test", "exclude tests"),
    ("tag:mart", "group:finance", "exclude a group"),
    ("", "resource_type:test", "the default includes, minus tests"),
    ("", "", "the default includes: everything dbt ls lists"),
    ("marts", "dim_riders", "exclude a versioned model"),
    ("+fct_revenue_daily", "source:* test_type:generic", "exclude a union"),
    ("path:models/staging", "stg_billing__customers+", "exclude with a graph operator"),
    ("resource_type:model", "tag:staging,access:protected", "exclude an intersection"),
    ("fct_trips+", "fct_trips+", "exclude everything selected"),
]


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """dbt ls prints every node it lists, even with --quiet: send its stdout to /dev/null."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 1)
        try:
            yield
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)


def main() -> int:
    try:
        from dbt.cli.main import dbtRunner
    except ImportError:
        print("dbt is not installed here; run with .venv-dbt/bin/python (see the docstring)")
        return 2

    with tempfile.TemporaryDirectory(prefix="lantern-selectors-") as tmp:
        work = Path(tmp)
        # The same offline, reproducible settings as examples/generate.sh.
        os.environ.update(
            DBT_PROFILES_DIR=str(PROJECT),
            DBT_PROJECT_DIR=str(PROJECT),
            DBT_TARGET_PATH=str(work / "target"),
            DBT_LOG_PATH=str(work / "logs"),
            DBT_SEND_ANONYMOUS_USAGE_STATS="false",
            DO_NOT_TRACK="1",
            DBT_PARTIAL_PARSE="false",
            DBT_USE_COLORS="false",
            LANTERN_BIKES_DUCKDB=str(work / "bikeshare.duckdb"),
        )
        with quiet():
            parsed = dbtRunner().invoke(["--quiet", "parse"])
        if not parsed.success:
            print(f"dbt parse failed: {parsed.exception}")
            return 1
        runner = dbtRunner(manifest=parsed.result)

        def ls(select: str, exclude: str) -> list[str]:
            args = ["--quiet", "ls", "--resource-type", RESOURCE_TYPES]
            args += ["--output", "json", "--output-keys", "unique_id"]
            if select:
                args += ["--select", select]
            if exclude:
                args += ["--exclude", exclude]
            with quiet():
                result = runner.invoke(args)
            if not result.success:
                raise SystemExit(f"dbt ls {select!r} --exclude {exclude!r}: {result.exception}")
            return sorted(json.loads(line)["unique_id"] for line in result.result or [])

        # The artifacts must be of this very project, or the comparison means nothing.
        listed = set(ls("", ""))
        manifest = json.loads((ARTIFACTS / "manifest.json").read_text())
        in_artifacts = {
            uid
            for section in ("nodes", "sources", "exposures", "metrics", "semantic_models")
            + ("saved_queries", "unit_tests", "functions")
            for uid, node in (manifest.get(section) or {}).items()
            if node.get("resource_type") not in ("operation", "sql_operation")
        }
        if listed != in_artifacts:
            print("examples/artifacts/ is not the project dbt parses now; run `make examples`:")
            for uid in sorted(listed ^ in_artifacts):
                print(f"  {'only in the project' if uid in listed else 'only in artifacts'}: {uid}")
            return 1

        cases = []
        for select, exclude, about in CORPUS:
            expected = ls(select, exclude)
            cases.append(
                {"select": select, "exclude": exclude, "about": about, "expected": expected}
            )
            print(f"{len(expected):4}  {select or '(default)'}  --exclude {exclude or '-'}")

    fixture = {
        "generated_by": "examples/selectors/generate.py",
        "project": "examples/bikeshare",
        "artifacts": "examples/artifacts",
        "dbt_version": importlib.metadata.version("dbt-core"),
        "adapter": f"dbt-duckdb {importlib.metadata.version('dbt-duckdb')}",
        "command": "dbt ls --resource-type all --output json --output-keys unique_id",
        # What `dbt ls --resource-type all` can list: compare Lantern's selection on these only.
        "resource_types": sorted(
            "model seed snapshot test unit_test source exposure metric semantic_model".split()
            + ["saved_query", "function", "analysis"]
        ),
        "cases": cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"wrote {len(cases)} selectors to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

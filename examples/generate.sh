#!/usr/bin/env bash
# Regenerate examples/artifacts/ by building the Lantern Bikes example project
# (examples/bikeshare/) with real dbt-core + dbt-duckdb.
#
# Run from anywhere (normally `make examples` from the repository root):
#
#     bash examples/generate.sh
#
# Environment:
#   DBT_VENV                   venv holding dbt, relative to the repo root (default .venv-dbt)
#   PYTHON                     interpreter used to create that venv (default python3)
#   LANTERN_EXAMPLES_WORKDIR   where the DuckDB file, dbt's target/ and logs/ go
#                              (default: a fresh temporary directory, removed at the end)
#   KEEP_WORKDIR=1             keep the temporary directory (its path is printed)
#
# Steps, in chronological order (each run_results.json is kept, numbered):
#   1. load the raw tables into DuckDB (loader timestamps relative to now)
#   2. dbt build                                  -> run_results_01_build.json
#        one test fails (orphan maintenance jobs), one test warns (riders without email)
#   3. dbt source freshness                       -> sources.json (pass / warn / error)
#   4. next "sync": 3 bikes change status (the snapshot records new versions)
#   5. dbt build --vars '{break_bikes: true}'     -> run_results_02_build.json
#        stg_bike_ops__bikes errors, everything downstream is skipped
#   6. dbt run --select stg_bike_ops__bikes+      -> run_results_03_run.json  (the fix)
#   7. dbt test                                   -> run_results_04_test.json
#   8. dbt docs generate                          -> manifest.json, catalog.json, semantic_manifest.json
#   9. examples/check_artifacts.py checks the statuses above are all there
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

EXAMPLES_DIR="$REPO_ROOT/examples"
PROJECT_DIR="$EXAMPLES_DIR/bikeshare"
ARTIFACTS_DIR="$EXAMPLES_DIR/artifacts"
VENV="${DBT_VENV:-.venv-dbt}"
PYTHON="${PYTHON:-python3}"

DBT_CORE_SPEC='dbt-core>=1.11,<1.12'
DBT_DUCKDB_SPEC='dbt-duckdb>=1.10,<1.12'

log() { printf '\n==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# --- 1. dbt venv --------------------------------------------------------------
dbt_installed() {
    [ -x "$VENV/bin/python" ] || return 1
    "$VENV/bin/python" - <<'EOF' >/dev/null 2>&1
import importlib.metadata as md
assert md.version("dbt-core").startswith("1.11."), md.version("dbt-core")
md.version("dbt-duckdb")
import duckdb  # noqa: F401
EOF
}

if ! dbt_installed; then
    log "Creating dbt venv in $VENV"
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet "$DBT_CORE_SPEC" "$DBT_DUCKDB_SPEC"
    dbt_installed || die "dbt-core 1.11 / dbt-duckdb could not be installed in $VENV"
fi
DBT="$VENV/bin/dbt"
VPY="$VENV/bin/python"
[ -x "$DBT" ] || die "$DBT not found"

# --- work directory (DuckDB file, target/, logs/): outside the repository -----
if [ -n "${LANTERN_EXAMPLES_WORKDIR:-}" ]; then
    WORK_DIR="$LANTERN_EXAMPLES_WORKDIR"
    mkdir -p "$WORK_DIR"
    WORK_DIR="$(cd "$WORK_DIR" && pwd)"
else
    WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/lantern-bikeshare.XXXXXX")"
    if [ "${KEEP_WORKDIR:-0}" != "1" ]; then
        trap 'rm -rf "$WORK_DIR"' EXIT
    fi
fi
OUT_DIR="$WORK_DIR/artifacts"
rm -rf "$WORK_DIR/target" "$WORK_DIR/logs" "$OUT_DIR" "$WORK_DIR/bikeshare.duckdb" "$WORK_DIR/bikeshare.duckdb.wal"
mkdir -p "$WORK_DIR/logs" "$OUT_DIR"

# Offline, reproducible dbt: no tracking, no partial parse left over, no colours.
export DBT_PROFILES_DIR="$PROJECT_DIR"
export DBT_PROJECT_DIR="$PROJECT_DIR"
export DBT_TARGET_PATH="$WORK_DIR/target"
export DBT_LOG_PATH="$WORK_DIR/logs"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
export DO_NOT_TRACK=1
export DBT_PARTIAL_PARSE=false
export DBT_USE_COLORS=false
export DBT_PRINTER_WIDTH=100
# The file name (not its folder) becomes the database name in the artifacts.
export LANTERN_BIKES_DUCKDB="$WORK_DIR/bikeshare.duckdb"

log "dbt: $("$VPY" -c 'import importlib.metadata as m; print("dbt-core", m.version("dbt-core"), "/ dbt-duckdb", m.version("dbt-duckdb"))')"
log "Work directory: $WORK_DIR"

# run_step LABEL ARTIFACT ALLOWED_RCS -- DBT ARGS...
#   Runs dbt with output in $WORK_DIR/logs/LABEL.log. dbt exits 1 when a test
#   fails or a model errors (expected in some steps) and 2 on a crash; any exit
#   code not in ALLOWED_RCS, or a missing artifact, stops the script.
run_step() {
    local label="$1" artifact="$2" allowed="$3"
    shift 4
    local out="$WORK_DIR/logs/$label.log" rc=0
    log "dbt $* ($label)"
    rm -f "$DBT_TARGET_PATH/$artifact"
    "$DBT" "$@" >"$out" 2>&1 || rc=$?
    grep -E '^(\S+ +)?(Done\.|Finished running|Completed)' "$out" | sed 's/^/    /' || true
    case " $allowed " in
        *" $rc "*) ;;
        *)
            tail -n 40 "$out" >&2
            die "'dbt $*' exited with $rc (log: $out)"
            ;;
    esac
    [ -s "$DBT_TARGET_PATH/$artifact" ] || {
        tail -n 40 "$out" >&2
        die "'dbt $*' did not write $artifact (log: $out)"
    }
}

# --- 2. raw data --------------------------------------------------------------
log "Loading raw tables into $LANTERN_BIKES_DUCKDB"
"$VPY" "$EXAMPLES_DIR/raw_data/load_raw.py" "$LANTERN_BIKES_DUCKDB"

# --- 3. the runs ----------------------------------------------------------------
run_step 01_build run_results.json "0 1" -- build
cp "$DBT_TARGET_PATH/run_results.json" "$OUT_DIR/run_results_01_build.json"

run_step freshness sources.json "0 1" -- source freshness
cp "$DBT_TARGET_PATH/sources.json" "$OUT_DIR/sources.json"

log "Next sync of the fleet platform"
"$VPY" "$EXAMPLES_DIR/raw_data/load_raw.py" "$LANTERN_BIKES_DUCKDB" --bump-bikes

run_step 02_build run_results.json "1" -- build --vars '{break_bikes: true}'
cp "$DBT_TARGET_PATH/run_results.json" "$OUT_DIR/run_results_02_build.json"

run_step 03_run run_results.json "0" -- run --select 'stg_bike_ops__bikes+'
cp "$DBT_TARGET_PATH/run_results.json" "$OUT_DIR/run_results_03_run.json"

run_step 04_test run_results.json "0 1" -- test
cp "$DBT_TARGET_PATH/run_results.json" "$OUT_DIR/run_results_04_test.json"

run_step docs catalog.json "0" -- docs generate
for f in manifest.json catalog.json semantic_manifest.json; do
    [ -s "$DBT_TARGET_PATH/$f" ] || die "dbt docs generate did not write $f"
    cp "$DBT_TARGET_PATH/$f" "$OUT_DIR/$f"
done

# --- 4. check, then publish -------------------------------------------------------
log "Checking artifacts"
"$VPY" "$EXAMPLES_DIR/check_artifacts.py" "$OUT_DIR"

mkdir -p "$ARTIFACTS_DIR"
rm -f "$ARTIFACTS_DIR"/run_results*.json "$ARTIFACTS_DIR"/manifest.json "$ARTIFACTS_DIR"/catalog.json \
      "$ARTIFACTS_DIR"/semantic_manifest.json "$ARTIFACTS_DIR"/sources.json
cp "$OUT_DIR"/*.json "$ARTIFACTS_DIR"/
log "Wrote $(ls "$ARTIFACTS_DIR"/*.json | wc -l) files to ${ARTIFACTS_DIR#"$REPO_ROOT"/}"
if [ "${KEEP_WORKDIR:-0}" = "1" ] || [ -n "${LANTERN_EXAMPLES_WORKDIR:-}" ]; then
    log "Kept work directory (DuckDB file, dbt target/ and logs/): $WORK_DIR"
fi

#!/usr/bin/env bash
# Regenerates the multi-version dbt artifact fixtures in tests/fixtures/dbt/compat/.
#
# For each dbt-core minor version it creates a venv, installs dbt-core and
# dbt-duckdb (pinned by examples/compat/constraints/<ver>.txt), runs the compat
# project (examples/compat/project) against a scratch DuckDB file and stores
# gzip-compressed artifacts under tests/fixtures/dbt/compat/<ver>/.
#
# Usage:
#   examples/compat/generate.sh                # all versions
#   examples/compat/generate.sh 1.5 1.12       # only these
#   examples/compat/generate.sh fusion         # dbt Fusion (see below)
#
# Environment:
#   COMPAT_VENVS     where the venvs live (default .venv-dbt-compat, relative
#                    to the repository root; keep it out of git)
#   COMPAT_PYTHON    interpreter used to create the venvs (default python3)
#   COMPAT_UNPINNED  set to 1 to ignore constraints/<ver>.txt and resolve the
#                    newest matching releases; the new freeze is written back
#                    to constraints/<ver>.txt
#   COMPAT_WORK      scratch directory (default ${TMPDIR:-/tmp}/lantern-dbt-compat)
#
# The project contains a test that fails on purpose, so `dbt build` exits
# non-zero; that is expected and only run_results.json is checked.
#
# "fusion" installs the dbt Fusion engine CLI from the PyPI wheel of the `dbt`
# package (version pinned below) and writes into tests/fixtures/dbt/fusion/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
project_src="$here/project"
constraints_dir="$here/constraints"
fixtures_root="$repo_root/tests/fixtures/dbt"

venvs="${COMPAT_VENVS:-.venv-dbt-compat}"
case "$venvs" in /*) ;; *) venvs="$repo_root/$venvs" ;; esac
python="${COMPAT_PYTHON:-python3}"
work_root="${COMPAT_WORK:-${TMPDIR:-/tmp}/lantern-dbt-compat}"
unpinned="${COMPAT_UNPINNED:-0}"

all_versions=(1.5 1.6 1.7 1.8 1.9 1.10 1.11 1.12)
if [ "$#" -gt 0 ]; then versions=("$@"); else versions=("${all_versions[@]}"); fi

# dbt Fusion: the last `dbt` release on PyPI that ships the engine binary in the
# wheel itself (later releases are sdists that download it from a CDN).
fusion_version="2.0.0rc196"
# npm package whose libduckdb.so serves as Fusion's DuckDB (ADBC) driver.
fusion_duckdb_npm="1.5.6-r.1"

export DBT_SEND_ANONYMOUS_USAGE_STATS=false
export DBT_ENGINE_NO_WARN_SEMANTIC_MANIFEST_VALIDATION=1
export RUST_BACKTRACE=0
export DO_NOT_TRACK=1
export PIP_DISABLE_PIP_VERSION_CHECK=1

log() { printf '\n=== %s\n' "$*" >&2; }

# pip, with the noise of missing local mirror folders filtered out.
vpip() {
  local venv="$1"; shift
  "$venv/bin/python" -m pip "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}

# Requirements of dbt-core / dbt-duckdb per version. Extra pins for old
# versions live in constraints/<ver>.txt (a full freeze of a venv that worked).
requirements_for() {
  case "$1" in
    1.5)  echo "dbt-core~=1.5.0 dbt-duckdb~=1.5.0" ;;
    1.6)  echo "dbt-core~=1.6.0 dbt-duckdb~=1.6.0" ;;
    1.7)  echo "dbt-core~=1.7.0 dbt-duckdb~=1.7.0" ;;
    1.8)  echo "dbt-core~=1.8.0 dbt-duckdb~=1.8.0" ;;
    1.9)  echo "dbt-core~=1.9.0 dbt-duckdb~=1.9.0" ;;
    1.10) echo "dbt-core~=1.10.0 dbt-duckdb~=1.10.0" ;;
    1.11) echo "dbt-core~=1.11.0 dbt-duckdb~=1.11.0" ;;
    # No dbt-duckdb 1.12 exists; 1.11 declares dbt-core>=1.8 and works.
    1.12) echo "dbt-core~=1.12.0 dbt-duckdb~=1.11.0" ;;
    *) echo "unknown dbt version: $1" >&2; return 1 ;;
  esac
}

# Prints the Requires-Dist lines (without extras) of the given wheels, minus
# the named distributions.
wheel_requirements() {
  local skip="$1"; shift
  "$python" - "$skip" "$@" <<'PY'
import re, sys, zipfile
skip = set(sys.argv[1].split(","))
seen = []
for wheel in sys.argv[2:]:
    with zipfile.ZipFile(wheel) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        for line in z.read(meta).decode().splitlines():
            if not line.startswith("Requires-Dist:"):
                continue
            req = line.split(":", 1)[1].strip()
            if ";" in req and "extra" in req.split(";", 1)[1]:
                continue
            name = re.split(r"[<>=!~ \[;(]", req, maxsplit=1)[0].lower().replace("_", "-")
            if name in skip:
                continue
            seen.append(req)
print("\n".join(seen))
PY
}

install_dbt() {
  local ver="$1" venv="$2"
  local reqs constraint=()
  reqs="$(requirements_for "$ver")"
  if [ "$unpinned" != 1 ] && [ -f "$constraints_dir/$ver.txt" ]; then
    constraint=(-c "$constraints_dir/$ver.txt")
  fi
  vpip "$venv" install -q --upgrade pip setuptools wheel
  if [ "$ver" = 1.12 ]; then
    # dbt-core 1.12 requires dbt-core-experimental-parser, whose sdist
    # downloads a binary from outside the package registries at build time.
    # Install dbt-core and dbt-duckdb without dependencies and then their
    # requirements minus that parser (dbt-core runs without it).
    local dl="$venv/.wheels"
    rm -rf "$dl"; mkdir -p "$dl"
    # shellcheck disable=SC2086
    vpip "$venv" download -q --no-deps -d "$dl" "${constraint[@]}" $reqs
    wheel_requirements "dbt-core,dbt-core-experimental-parser,dbt-duckdb" "$dl"/*.whl > "$dl/requirements.txt"
    vpip "$venv" install -q "${constraint[@]}" -r "$dl/requirements.txt"
    vpip "$venv" install -q --no-deps "$dl"/*.whl
  else
    # shellcheck disable=SC2086
    vpip "$venv" install -q "${constraint[@]}" $reqs
  fi
  if [ "$unpinned" = 1 ] || [ ! -f "$constraints_dir/$ver.txt" ]; then
    mkdir -p "$constraints_dir"
    {
      echo "# pip freeze of the dbt $ver venv that produced tests/fixtures/dbt/compat/$ver"
      vpip "$venv" freeze --exclude-editable | grep -v -E '^(pip|setuptools|wheel)=='
    } > "$constraints_dir/$ver.txt"
  fi
}

venv_stamp() {
  echo "$(requirements_for "$1") | $(md5sum < "$constraints_dir/$1.txt" 2>/dev/null || echo none)"
}

ensure_venv() {
  local ver="$1" venv="$venvs/$1"
  if [ "$unpinned" != 1 ] && [ -x "$venv/bin/dbt" ] && [ -f "$venv/.compat-stamp" ] \
     && [ "$(cat "$venv/.compat-stamp")" = "$(venv_stamp "$ver")" ]; then
    return 0
  fi
  log "dbt $ver: creating venv $venv"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  install_dbt "$ver" "$venv"
  venv_stamp "$ver" > "$venv/.compat-stamp"
}

ensure_fusion_venv() {
  local venv="$venvs/fusion"
  if [ -x "$venv/bin/dbt" ] && [ -f "$venv/lib/libduckdb.so" ] \
     && "$venv/bin/dbt" --version 2>/dev/null | grep -q "dbt-fusion"; then
    return 0
  fi
  log "dbt Fusion: creating venv $venv"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  vpip "$venv" install -q --no-deps --only-binary=:all: "dbt==$fusion_version"
  # Fusion talks to DuckDB through an ADBC driver that it normally downloads
  # from a CDN. DuckDB's own shared library is such a driver (entry point
  # duckdb_adbc_init); npm ships it in the DuckDB node bindings. Fusion looks
  # for lib/libduckdb.so next to its bin/ folder.
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "@duckdb/node-bindings-linux-x64@$fusion_duckdb_npm" > /dev/null)
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/libduckdb.so package/LICENSE
  mkdir -p "$venv/lib"
  mv "$tmp/package/libduckdb.so" "$venv/lib/libduckdb.so"
  mv "$tmp/package/LICENSE" "$venv/lib/libduckdb.LICENSE"
  rm -rf "$tmp"
}

# Copies the project into a scratch folder and adds the parts that this dbt
# version supports (see project/extras/README.md).
prepare_project() {
  local ver="$1" dest="$2"
  local minor="${ver#1.}"
  rm -rf "$dest"; mkdir -p "$(dirname "$dest")"
  cp -r "$project_src" "$dest"
  rm -rf "$dest/extras" "$dest/target" "$dest/logs"
  if [ "$ver" = fusion ]; then minor=99; fi
  if [ "$minor" -ge 6 ]; then
    mkdir -p "$dest/models/semantic"
    cp "$project_src"/extras/semantic_16/* "$dest/models/semantic/"
  fi
  if [ "$ver" = fusion ]; then
    # Fusion rejects the pre-1.10 YAML style of the base project and ignores
    # legacy semantic_models:; extras/fusion/ replaces those YAML files.
    rm "$dest/models/semantic/semantic_models.yml"
    cp -r "$project_src"/extras/fusion/* "$dest/models/"
  fi
  if [ "$minor" -ge 9 ]; then
    cp "$project_src"/extras/time_spine_19/* "$dest/models/semantic/"
  fi
  if [ "$minor" -ge 8 ]; then
    mkdir -p "$dest/models/unit_tests"
    cp "$project_src"/extras/unit_tests_18/* "$dest/models/unit_tests/"
  fi
}

# Checks that a JSON artifact exists and was written by the expected command.
check_artifact() {
  local file="$1" which="$2"
  "$python" - "$file" "$which" <<'PY'
import json, sys
path, which = sys.argv[1], sys.argv[2]
with open(path) as fh:
    data = json.load(fh)
meta = data.get("metadata", {})
got = (data.get("args") or {}).get("which")
if which != "-" and got is not None and got != which:
    sys.exit(f"{path}: written by '{got}', expected '{which}'")
if meta:
    print(f"  {path.rsplit('/', 1)[-1]}: {meta.get('dbt_schema_version')} (dbt {meta.get('dbt_version')})")
else:
    print(f"  {path.rsplit('/', 1)[-1]}: (no metadata)")
PY
}

generate() {
  local ver="$1"
  local venv out work proj dbt rc
  if [ "$ver" = fusion ]; then
    ensure_fusion_venv
    venv="$venvs/fusion"
    out="$fixtures_root/fusion"
  else
    requirements_for "$ver" > /dev/null
    ensure_venv "$ver"
    venv="$venvs/$ver"
    out="$fixtures_root/compat/$ver"
  fi
  dbt="$venv/bin/dbt"
  work="$work_root/$ver"
  proj="$work/compat"
  log "dbt $ver: $("$dbt" --version 2>&1 | grep -m1 -E 'installed:|dbt-fusion' | sed 's/^ *//')"
  prepare_project "$ver" "$proj"
  mkdir -p "$work/artifacts"
  rm -f "$work"/artifacts/*

  export COMPAT_DUCKDB_PATH="$work/compat.duckdb"
  rm -f "$COMPAT_DUCKDB_PATH" "$COMPAT_DUCKDB_PATH.wal"
  local common=(--profiles-dir "$proj" --project-dir "$proj")
  (
    cd "$proj"
    log "dbt $ver: run-operation create_source_table"
    "$dbt" run-operation create_source_table "${common[@]}"

    log "dbt $ver: build (one test fails on purpose)"
    rc=0
    "$dbt" build "${common[@]}" || rc=$?
    echo "dbt build exited with $rc" >&2
    test -s target/run_results.json || { echo "run_results.json missing after build" >&2; exit 1; }
    check_artifact target/run_results.json build
    cp target/run_results.json "$work/artifacts/"

    log "dbt $ver: source freshness"
    rc=0
    "$dbt" source freshness "${common[@]}" || rc=$?
    echo "dbt source freshness exited with $rc" >&2
    test -s target/sources.json || { echo "sources.json missing after source freshness" >&2; exit 1; }
    check_artifact target/sources.json -
    cp target/sources.json "$work/artifacts/"

    if [ "$ver" = fusion ]; then
      # Fusion has no `docs generate`; `compile --write-catalog` writes
      # catalog.json (and manifest.json).
      log "dbt $ver: compile --write-catalog"
      "$dbt" compile --write-catalog "${common[@]}"
    else
      log "dbt $ver: docs generate"
      "$dbt" docs generate "${common[@]}"
    fi
    for f in manifest.json catalog.json semantic_manifest.json; do
      if [ -s "target/$f" ]; then
        check_artifact "target/$f" -
        cp "target/$f" "$work/artifacts/"
      fi
    done
    test -s "$work/artifacts/manifest.json" || { echo "manifest.json missing" >&2; exit 1; }
    test -s "$work/artifacts/catalog.json" || { echo "catalog.json missing" >&2; exit 1; }
  )

  mkdir -p "$out"
  rm -f "$out"/*.json.gz
  for f in "$work"/artifacts/*.json; do
    gzip -n -9 -c "$f" > "$out/$(basename "$f").gz"
  done
  log "dbt $ver: wrote $(ls "$out" | tr '\n' ' ')"
}

for ver in "${versions[@]}"; do
  generate "$ver"
done

"$python" "$here/summarize.py" "$fixtures_root" "$constraints_dir"

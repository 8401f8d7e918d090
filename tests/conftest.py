from __future__ import annotations

import gzip
import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

FIXTURES = Path(__file__).parent / "fixtures" / "dbt"
SAMPLES = FIXTURES / "samples"
EXAMPLE = Path(__file__).parent.parent / "examples" / "artifacts"
CI = os.environ.get("CI", "").lower() == "true"


def read_json(path: Path) -> Any:
    """A fixture artifact, gzip or not."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return json.loads(data)


def write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    return path


def unpack(folder: Path, into: Path) -> Path:
    """Copy an artifact folder, inflating .json.gz files, so a test may edit them."""
    into.mkdir(parents=True, exist_ok=True)
    for f in folder.iterdir():
        if f.name.endswith(".json.gz"):
            (into / f.name[:-3]).write_bytes(gzip.decompress(f.read_bytes()))
        elif f.name.endswith(".json"):
            shutil.copy(f, into / f.name)
    return into


def run_ingest(*args: str) -> str:
    out = io.StringIO()
    call_command("ingest", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def jaffle(tmp_path: Path) -> Path:
    """An editable copy of the jaffle_shop sample (manifest + catalog)."""
    return unpack(SAMPLES / "jaffle_shop_duckdb_1.10.6", tmp_path / "jaffle")


@pytest.fixture
def finance(tmp_path: Path) -> Path:
    return unpack(SAMPLES / "finance_core_duckdb_1.11.8", tmp_path / "finance")

"""A load writes in bulk: its number of queries does not grow with the size of the project."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import run_ingest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from synth import generate  # noqa: E402


def queries_of_two_loads(folder: Path) -> tuple[int, int]:
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            run_ingest(str(folder), "--environment", "bench")
        counts.append(len(captured.captured_queries))
    return counts[0], counts[1]


@pytest.mark.django_db
def test_ten_times_the_models_takes_about_the_same_number_of_queries(tmp_path: Path) -> None:
    generate(tmp_path / "small", models=40, runs=2, seed=1)
    generate(tmp_path / "large", models=400, runs=2, seed=1)

    small_first, small_again = queries_of_two_loads(tmp_path / "small")
    from catalog.models import Environment

    Environment.objects.all().delete()
    large_first, large_again = queries_of_two_loads(tmp_path / "large")

    # Deletes and pointer updates go by chunks of ingest.load.CHUNK ids: a few more queries.
    assert large_first <= small_first + 4, (small_first, large_first)
    assert large_again <= small_again + 4, (small_again, large_again)
    assert small_first < 60

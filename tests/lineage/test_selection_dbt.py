"""Lantern selects what dbt selects: the corpus of examples/selectors/generate.py.

The fixture holds, for each selector, the unique_ids `dbt ls --resource-type all` listed on
the example project (examples/bikeshare); examples/artifacts/ are that project's artifacts,
built by the same dbt. Loading them and selecting must give exactly the same set. dbt is not
needed here: regenerate the fixture with examples/selectors/generate.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

from catalog.models import Environment
from lineage.graph import Dag
from lineage.queries import dag_get
from lineage.selection import select
from tests.conftest import EXAMPLE, run_ingest

FIXTURE = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "selectors" / "bikeshare.json").read_text()
)
CASES = FIXTURE["cases"]


@pytest.fixture(scope="module")
def dag(django_db_setup, django_db_blocker) -> Iterator[Dag]:
    """The example project's Dag, built once for the module from a real load."""
    with django_db_blocker.unblock():
        run_ingest(str(EXAMPLE), "--environment", "selectors")
        environment = Environment.objects.get(name="selectors")
        try:
            yield dag_get(environment)
        finally:
            environment.delete()
            # These tests run last, maybe beside the browser tests' event loop, where this
            # fixture gets a connection of its own: close it, or the test database cannot
            # be dropped at the end of the session.
            connections.close_all()


def test_it_has_a_corpus_covering_every_method() -> None:
    selectors = " ".join(f"{case['select']} {case['exclude']}" for case in CASES)
    assert len(CASES) >= 60
    for method in (
        "tag source exposure metric semantic_model saved_query group access path file fqn "
        "package resource_type config. test_type test_name version unit_test"
    ).split():
        assert f"{method}:" in selectors or method.endswith(".") and method in selectors
    for operator in ("@", "+", "1+", "+1", ",", "*"):
        assert operator in selectors
    assert any(case["exclude"] for case in CASES)
    assert any(not case["select"] for case in CASES)


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c['select'] or '(default)'} --exclude {c['exclude']}" for c in CASES]
)
def test_it_selects_what_dbt_ls_lists(dag: Dag, case: dict) -> None:
    selected = select(
        dag, case["select"], case["exclude"], resource_types=FIXTURE["resource_types"]
    )
    expected = set(case["expected"])
    assert sorted(selected - expected) == [], "selected, but dbt did not list"
    assert sorted(expected - selected) == [], "dbt listed, but not selected"

"""After a load a worker warms the new snapshot's reports: the first visitor finds them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Environment
from catalog.reports import reports_warm
from ingest.tasks import reports_warm_task


@pytest.mark.django_db
def test_warmed_reports_answer_the_first_visitor_from_the_cache(
    demo: Environment, client, django_assert_max_num_queries
) -> None:
    reports_warm_task.delay(demo.pk)  # inline without a broker
    with django_assert_max_num_queries(4):
        client.get(reverse("catalog-quality", args=[demo.pk]))
    with django_assert_max_num_queries(6):
        client.get(reverse("catalog-performance", args=[demo.pk]))


@pytest.mark.django_db
def test_warming_twice_computes_nothing_more(
    demo: Environment, django_assert_max_num_queries
) -> None:
    reports_warm(environment=demo)
    with django_assert_max_num_queries(1):  # reading the generation
        reports_warm(environment=demo)

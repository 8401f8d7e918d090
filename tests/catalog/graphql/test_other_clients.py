"""Query shapes of other public Discovery API clients, on the example project.

Each query here is written for this test; its comment names the client whose request it
reproduces (the fields it asks for, how it passes ids, what it sends with them). The README's
"Tested clients" section says which versions were run against a live Lantern.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from catalog.models import Environment, Run
from catalog.tokens import api_token_create
from tests.catalog.graphql import example
from tests.catalog.graphql.test_docs_examples import reference_errors


@pytest.fixture
def token(db) -> str:
    return api_token_create(user=User.objects.create_user("reader"), name="client")[1]


def first_run(environment: Environment) -> Run:
    """The example's first run: a full `dbt build`."""
    invocation = example.RUNS[0][1]["metadata"]["invocation_id"]
    return Run.objects.get(environment=environment, invocation_id=invocation)


# DataHub's dbt Cloud source: one job query per node type, ids as BigInt variables, runId null
# for the latest run. It names a test's type after the `test_<name>` macro in its dependsOn.
JOB_TESTS = """
query JobTests($jobId: BigInt!, $runId: BigInt) {
  job(id: $jobId, runId: $runId) { tests { uniqueId columnName dependsOn } }
}
"""


def test_it_lists_a_tests_macros_after_its_nodes(demo, gql) -> None:
    # given
    run = first_run(demo)
    # when
    tests = gql(JOB_TESTS, jobId=demo.pk, runId=run.pk)["job"]["tests"]
    # then: what the test reads, then the macros it calls, as dbt Cloud lists them
    assert len(tests) == 94
    for test in tests:
        node = example.RESOURCES[test["uniqueId"]]
        assert test["dependsOn"] == sorted(node["depends_on"]["nodes"]) + sorted(
            node["depends_on"].get("macros") or []
        )
    unique = next(t for t in tests if t["uniqueId"].startswith("test.bikeshare.unique_fct_trips"))
    assert unique["dependsOn"] == [
        "model.bikeshare.fct_trips",
        "macro.dbt.get_where_subquery",
        "macro.dbt.test_unique",
    ]
    generic = [t for t in tests if example.RESOURCES[t["uniqueId"]].get("test_metadata")]
    assert generic
    for test in generic:
        name = example.RESOURCES[test["uniqueId"]]["test_metadata"]["name"]
        assert any(d.endswith(f".test_{name}") for d in test["dependsOn"]), test


def test_it_keeps_a_models_depends_on_to_nodes(demo, gql) -> None:
    # DataHub takes a model's dependsOn as its upstream lineage: nodes only
    query = """
    query ($j: BigInt!, $r: BigInt) { job(id: $j, runId: $r) { models { uniqueId dependsOn } } }
    """
    models = gql(query, j=demo.pk, r=first_run(demo).pk)["job"]["models"]
    assert models
    for model in models:
        assert model["dependsOn"] == sorted(example.MANIFEST["parent_map"][model["uniqueId"]])


# dbterd's ERD query: connections paged by variables of its own, POSTed to /graphql/ with a
# lower-case `authorization` header. It sends the page variables of every resource type to
# each query, also those the query does not declare: GraphQL ignores them.
ERD = """
query ($environment_id: BigInt!, $model_first: Int!, $model_after: String,
       $test_first: Int!, $test_after: String) {
  environment(id: $environment_id) {
    applied {
      models(first: $model_first, after: $model_after) {
        edges { node { uniqueId catalog { columns { name type } } } }
        pageInfo { endCursor hasNextPage }
        totalCount
      }
      tests(first: $test_first, after: $test_after) {
        edges { node { uniqueId testMetadata { name kwargs } parents { uniqueId resourceType } } }
        totalCount
      }
    }
  }
}
"""


def test_it_ignores_variables_a_query_does_not_declare(demo, token: str) -> None:
    # given
    variables = {
        "environment_id": demo.pk,
        "model_first": 10,
        "test_first": 500,
        "semantic_model_first": 500,  # declared by dbterd's other query only
        "exposure_first": 500,
    }
    # when
    response = Client().post(
        "/graphql/",
        {"query": ERD, "variables": variables},
        content_type="application/json",
        headers={"authorization": f"Bearer {token}"},
    )
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body
    applied = body["data"]["environment"]["applied"]
    assert len(applied["models"]["edges"]) == 10
    assert applied["models"]["pageInfo"]["hasNextPage"] is True
    relationships = [
        e["node"]
        for e in applied["tests"]["edges"]
        if (e["node"]["testMetadata"] or {}).get("name") == "relationships"
    ]
    assert len(relationships) == 9
    for test in relationships:
        parents = {p["uniqueId"] for p in test["parents"]}
        node = example.RESOURCES[test["uniqueId"]]
        assert parents == set(node["depends_on"]["nodes"])
        assert test["testMetadata"]["kwargs"]["to"] == node["test_metadata"]["kwargs"]["to"]


# A TypeScript MCP server reads definition connections as if they were lists: the reference
# rejects that, so the real service answers 400, and so does Lantern, with the same messages.
LIST_SHAPED = """
query ($environmentId: BigInt!) {
  environment(id: $environmentId) { definition { models { uniqueId name database } } }
}
"""


def test_it_rejects_a_connection_read_as_a_list_like_the_reference(demo, token: str) -> None:
    # given
    expected = reference_errors(LIST_SHAPED)
    assert expected
    # when
    response = Client().post(
        "/graphql",
        {"query": LIST_SHAPED, "variables": {"environmentId": demo.pk}},
        content_type="application/json",
        headers={"authorization": f"Token {token}"},
    )
    # then
    assert response.status_code == 400
    assert [e["message"] for e in response.json()["errors"]] == expected

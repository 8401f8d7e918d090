"""environment { definition { ... } } on the example project, against its manifest."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.catalog.graphql import example

CONNECTIONS = """
query Definition($env: BigInt!) {
  environment(id: $env) {
    definition {
      models { totalCount edges { node { uniqueId } } }
      sources { totalCount edges { node { uniqueId } } }
      seeds { totalCount edges { node { uniqueId } } }
      snapshots { totalCount edges { node { uniqueId } } }
      tests { totalCount edges { node { uniqueId } } }
      exposures { totalCount edges { node { uniqueId } } }
      metrics { totalCount edges { node { uniqueId } } }
      semanticModels { totalCount edges { node { uniqueId } } }
      savedQueries { totalCount edges { node { uniqueId } } }
      groups { totalCount edges { node { uniqueId } } }
      macros(first: 10) { totalCount edges { node { uniqueId } } }
    }
  }
}
"""
KINDS = {
    "models": ("model",),
    "sources": ("source",),
    "seeds": ("seed",),
    "snapshots": ("snapshot",),
    "tests": ("test", "unit_test"),
    "exposures": ("exposure",),
    "metrics": ("metric",),
    "semanticModels": ("semantic_model",),
    "savedQueries": ("saved_query",),
    "groups": ("group",),
    "macros": ("macro",),
}


def test_it_lists_everything_the_manifest_defines(demo, gql) -> None:
    definition = gql(CONNECTIONS, env=demo.pk)["environment"]["definition"]
    for field, types in KINDS.items():
        expected = example.of_type(*types)
        assert definition[field]["totalCount"] == len(expected), field
        ids = [e["node"]["uniqueId"] for e in definition[field]["edges"]]
        assert ids == expected[: len(ids)], field
    # Defined, never executed: in the definition state only.
    assert "model.bikeshare.int_trips_enriched" in example.of_type("model")
    assert definition["models"]["totalCount"] == 27


def test_it_gives_a_model_definition(demo, gql) -> None:
    query = """query($env: BigInt!) { environment(id: $env) { definition {
      models(filter: {uniqueIds: ["model.bikeshare.dim_riders.v2"]}) { edges { node {
        uniqueId name description rawCode language materializedType access group
        contractEnforced version latestVersion releaseVersion deprecationDate
        database schema alias fqn packageName patchPath filePath runGeneratedAt runId
        jobDefinitionId tags meta modelingLayer
        parents { uniqueId ... on ModelDefinitionNestedNode { access releaseVersion } }
        children { uniqueId __typename }
        tests { uniqueId testType columnName }
        ancestors(types: [Source]) { uniqueId __typename }
      } } } } } }"""
    node = gql(query, env=demo.pk)["environment"]["definition"]["models"]["edges"][0]["node"]
    manifest = example.RESOURCES["model.bikeshare.dim_riders.v2"]
    assert node["rawCode"] == manifest["raw_code"]
    assert node["description"] == manifest["description"]
    assert node["materializedType"] == manifest["config"]["materialized"]
    assert node["access"] == manifest["access"] == "public"
    assert node["version"] == "2"
    assert node["latestVersion"] == str(manifest["latest_version"])
    assert node["releaseVersion"] == "latest"
    assert node["alias"] == manifest["alias"]
    assert node["fqn"] == manifest["fqn"]
    assert node["filePath"] == manifest["original_file_path"]
    assert node["patchPath"] == manifest["patch_path"]
    generated = example.MANIFEST["metadata"]["generated_at"]
    assert datetime.fromisoformat(node["runGeneratedAt"].replace("Z", "+00:00")).replace(
        microsecond=0
    ) == datetime.fromisoformat(generated.replace("Z", "+00:00")).replace(microsecond=0)
    # `dbt docs generate` wrote the manifest: no run of Lantern's wrote it.
    assert node["runId"] is None
    assert node["jobDefinitionId"] is None
    assert [p["uniqueId"] for p in node["parents"]] == sorted(
        example.MANIFEST["parent_map"][node["uniqueId"]]
    )
    assert {c["__typename"] for c in node["children"]} <= {
        "ModelDefinitionNestedNode",
        "TestDefinitionNestedNode",
        "ExposureDefinitionNestedNode",
        "SemanticModelDefinitionNestedNode",
    }
    assert {a["__typename"] for a in node["ancestors"]} == {"SourceDefinitionNestedNode"}


def test_it_gives_the_releases_of_a_versioned_model(demo, gql) -> None:
    query = """query($env: BigInt!) { environment(id: $env) { applied {
      models(filter: {uniqueIds: ["model.bikeshare.dim_riders.v1"]}) { edges { node {
        releaseVersion deprecationDate versions { name releaseVersion uniqueId } } } } } } }"""
    node = gql(query, env=demo.pk)["environment"]["applied"]["models"]["edges"][0]["node"]
    assert node["releaseVersion"] == "old"
    assert node["deprecationDate"] is not None
    assert node["versions"] == [
        {"name": "1", "releaseVersion": "old", "uniqueId": "model.bikeshare.dim_riders.v1"},
        {"name": "2", "releaseVersion": "latest", "uniqueId": "model.bikeshare.dim_riders.v2"},
        {"name": "3", "releaseVersion": "prerelease", "uniqueId": "model.bikeshare.dim_riders.v3"},
    ]


def test_it_gives_the_semantic_layer(demo, gql) -> None:
    query = """query($env: BigInt!) { environment(id: $env) { definition {
      semanticModels { edges { node { uniqueId
        dimensions { name type description typeParams }
        entities { name type description }
        measures { name agg expr description createMetric }
        parents { uniqueId } children { uniqueId } } } }
      metrics { edges { node { uniqueId type filter formula typeParams
        parents { uniqueId } } } }
      savedQueries { edges { node { uniqueId
        queryParams { metrics groupBy orderBy limit where { whereFilters { whereSqlTemplate } } }
        exports { name config { exportAs alias database schema } } } } } } } }"""
    definition = gql(query, env=demo.pk)["environment"]["definition"]
    for edge in definition["semanticModels"]["edges"]:
        node = edge["node"]
        manifest = example.RESOURCES[node["uniqueId"]]
        assert [(d["name"], d["type"]) for d in node["dimensions"]] == [
            (d["name"], d["type"]) for d in manifest["dimensions"]
        ]
        assert [(e["name"], e["type"]) for e in node["entities"]] == [
            (e["name"], e["type"]) for e in manifest["entities"]
        ]
        assert [(m["name"], m["agg"]) for m in node["measures"]] == [
            (m["name"], m["agg"]) for m in manifest["measures"]
        ]
        assert [p["uniqueId"] for p in node["parents"]] == sorted(
            example.MANIFEST["parent_map"][node["uniqueId"]]
        )
    for edge in definition["metrics"]["edges"]:
        node = edge["node"]
        manifest = example.RESOURCES[node["uniqueId"]]
        assert node["type"] == manifest["type"]
        assert node["filter"] == (manifest.get("filter") or None)
        assert node["formula"] == (manifest["type_params"].get("expr") or None)
    for edge in definition["savedQueries"]["edges"]:
        node = edge["node"]
        params = example.RESOURCES[node["uniqueId"]]["query_params"]
        assert node["queryParams"]["metrics"] == params["metrics"]
        assert node["queryParams"]["groupBy"] == params["group_by"]
        where = [
            f["where_sql_template"] for f in (params.get("where") or {}).get("where_filters", [])
        ]
        got = node["queryParams"]["where"]
        assert ([f["whereSqlTemplate"] for f in got["whereFilters"]] if got else []) == where
        exports = example.RESOURCES[node["uniqueId"]]["exports"]
        assert [(e["name"], e["config"]["exportAs"]) for e in node["exports"]] == [
            (e["name"], e["config"]["export_as"]) for e in exports
        ]


def test_it_gives_groups_with_their_models_and_owners(demo, gql) -> None:
    query = """query($env: BigInt!) { environment(id: $env) { definition { groups { edges {
      node { uniqueId name ownerName ownerEmail modelCount models { uniqueId access } } } } } } }"""
    groups = gql(query, env=demo.pk)["environment"]["definition"]["groups"]["edges"]
    for edge in groups:
        node = edge["node"]
        manifest = example.RESOURCES[node["uniqueId"]]
        assert (node["ownerName"], node["ownerEmail"]) == (
            manifest["owner"]["name"],
            manifest["owner"]["email"],
        )
        members = sorted(
            uid
            for uid in example.of_type("model")
            if (
                example.RESOURCES[uid].get("group") or example.RESOURCES[uid]["config"].get("group")
            )
            == node["name"]
        )
        assert [m["uniqueId"] for m in node["models"]] == members
        assert node["modelCount"] == len(members) > 0


def test_it_gives_macros_with_their_arguments(demo, gql) -> None:
    query = """query($env: BigInt!) { environment(id: $env) { definition {
      macros(filter: {packageName: "bikeshare"}) { edges { node { uniqueId macroSql
        arguments { name type description } parents { uniqueId } } } } } } }"""
    edges = gql(query, env=demo.pk)["environment"]["definition"]["macros"]["edges"]
    expected = [
        u for u in example.of_type("macro") if example.RESOURCES[u]["package_name"] == "bikeshare"
    ]
    assert [e["node"]["uniqueId"] for e in edges] == expected
    for edge in edges:
        node = edge["node"]
        manifest = example.RESOURCES[node["uniqueId"]]
        assert node["macroSql"] == manifest["macro_sql"]
        assert node["arguments"] == [
            {"name": a["name"], "type": a["type"], "description": a["description"]}
            for a in manifest["arguments"]
        ]
        assert [p["uniqueId"] for p in node["parents"]] == sorted(
            set(manifest["depends_on"]["macros"])
        )


@pytest.mark.parametrize("state", ["applied", "definition"])
def test_it_lists_exposures_with_their_owners_and_parents(demo, gql, state: str) -> None:
    query = """query($env: BigInt!) {{ environment(id: $env) {{ {} {{
      exposures(filter: {{exposureType: "dashboard"}}) {{ edges {{ node {{
        uniqueId exposureType maturity url ownerName ownerEmail label
        parents {{ uniqueId }} ancestors{} {{ uniqueId }} }} }} }} }} }} }}""".format(
        state,
        # The definition's exposures take no types: every ancestor.
        "(types: [Source])" if state == "applied" else "",
    )
    edges = gql(query, env=demo.pk)["environment"][state]["exposures"]["edges"]
    expected = [
        u for u in example.of_type("exposure") if example.RESOURCES[u]["type"] == "dashboard"
    ]
    assert [e["node"]["uniqueId"] for e in edges] == expected
    for edge in edges:
        node = edge["node"]
        manifest = example.RESOURCES[node["uniqueId"]]
        assert node["maturity"] == manifest["maturity"]
        assert node["url"] == manifest.get("url")
        assert node["ownerEmail"] == manifest["owner"]["email"]
        assert [p["uniqueId"] for p in node["parents"]] == sorted(manifest["depends_on"]["nodes"])
        upstream = example.upstream(node["uniqueId"])
        if state == "applied":
            upstream = {u for u in upstream if u.startswith("source.")}
        assert {a["uniqueId"] for a in node["ancestors"]} == upstream

"""What a lineage graph shows for a state: focus and depths, expand and hide, tests and
sources, collapsed groups, paths, the size limit, bad selectors, impact."""

from __future__ import annotations

import networkx as nx

from lineage import explore as module
from lineage.explore import View, explore, impact
from lineage.graph import Dag, NodeInfo

#   src -> stg -> int -> mart -> exposure
#          stg -> test_stg
#   seed ---------------> mart
#                  int -> other_mart (folder p/other)
EDGES = [
    ("source.p.s.raw", "model.p.stg"),
    ("model.p.stg", "model.p.int"),
    ("model.p.int", "model.p.mart"),
    ("model.p.mart", "exposure.p.dash"),
    ("model.p.stg", "test.p.not_null_stg_id"),
    ("seed.p.codes", "model.p.mart"),
    ("model.p.int", "model.p.other_mart"),
]
FOLDERS = {
    "model.p.stg": "p/staging",
    "model.p.int": "p/intermediate",
    "model.p.mart": "p/marts",
    "model.p.other_mart": "p/other",
}


def dag() -> Dag:
    infos = []
    for uid in {u for edge in EDGES for u in edge}:
        kind, _, name = uid.partition(".")[0], None, uid.rsplit(".", 1)[-1]
        infos.append(
            NodeInfo(
                unique_id=uid,
                resource_type=kind,
                name=name,
                package_name="p",
                fqn=("p", name),
                folder=FOLDERS.get(uid, "p"),
                owner="ana@example.com" if kind == "exposure" else "",
                test_type="generic" if kind == "test" else "",
            )
        )
    return Dag.build(infos, EDGES)


def shown(graph) -> set[str]:
    return {n.id for n in graph.nodes}


def test_a_focus_shows_one_level_each_way_and_counts_what_is_hidden() -> None:
    graph = explore(dag(), View(focus="model.p.int"))
    assert shown(graph) == {"model.p.stg", "model.p.int", "model.p.mart", "model.p.other_mart"}
    nodes = {n.id: n for n in graph.nodes}
    assert nodes["model.p.int"].focus
    assert nodes["model.p.stg"].hidden_parents == 1  # the source
    assert nodes["model.p.mart"].hidden_parents == 1  # the seed
    assert nodes["model.p.mart"].hidden_children == 1  # the exposure
    assert nodes["model.p.stg"].hidden_children == 0  # its test is hidden by default


def test_depths_widen_the_neighbourhood() -> None:
    graph = explore(dag(), View(focus="model.p.int", up=2, down=2))
    assert shown(graph) >= {"source.p.s.raw", "exposure.p.dash"}


def test_expand_and_hide_one_node_at_a_time() -> None:
    expanded = explore(dag(), View(focus="model.p.int", expand=("+model.p.mart",)))
    assert "seed.p.codes" in shown(expanded)
    hidden = explore(dag(), View(focus="model.p.int", hide=("model.p.int+",)))
    assert shown(hidden) == {"model.p.stg", "model.p.int"}


def test_tests_and_sources_can_be_toggled() -> None:
    view = View(focus="model.p.stg", tests=True)
    assert "test.p.not_null_stg_id" in shown(explore(dag(), view))
    no_sources = View(focus="model.p.stg", sources=False)
    assert "source.p.s.raw" not in shown(explore(dag(), no_sources))


def test_a_selector_drives_the_explorer_and_marks_what_it_matched() -> None:
    graph = explore(dag(), View(select="+mart"))
    assert shown(graph) == {
        "source.p.s.raw",
        "model.p.stg",
        "model.p.int",
        "model.p.mart",
        "seed.p.codes",
    }
    assert all(n.matched for n in graph.nodes)
    # an expansion adds context nodes that the selector did not match
    graph = explore(dag(), View(select="mart", expand=("model.p.mart+",)))
    matched = {n.id: n.matched for n in graph.nodes}
    assert matched == {"model.p.mart": True, "exposure.p.dash": False}


def test_folders_packages_and_groups_collapse_into_one_node() -> None:
    graph = explore(dag(), View(select="+mart+ int+", collapse=("folder:p/marts",)))
    ids = shown(graph)
    assert "folder:p/marts" in ids
    assert "model.p.mart" not in ids
    collapsed = next(n for n in graph.nodes if n.id == "folder:p/marts")
    assert collapsed.members == 1
    edges = {(e["source"], e["target"]) for e in graph.edges}
    assert ("model.p.int", "folder:p/marts") in edges
    assert ("folder:p/marts", "exposure.p.dash") in edges


def test_the_path_between_two_nodes_is_marked() -> None:
    graph = explore(dag(), View(select="+dash", path=("model.p.stg", "exposure.p.dash")))
    on_path = {n.id for n in graph.nodes if n.on_path}
    assert on_path == {"model.p.stg", "model.p.int", "model.p.mart", "exposure.p.dash"}
    assert all(
        e.get("onPath") for e in graph.edges if e["source"] in on_path and e["target"] in on_path
    )


def test_too_many_nodes_give_the_count_instead_of_a_graph(monkeypatch) -> None:
    monkeypatch.setattr(module, "MAX_NODES", 3)
    graph = explore(dag(), View(select="+dash"))
    assert graph.too_big
    assert graph.total == 6
    assert graph.nodes == []


def test_a_bad_selector_is_an_error_not_an_exception() -> None:
    graph = explore(dag(), View(select="@mart+"))
    assert graph.error
    assert graph.nodes == []


def test_the_view_reads_the_url_and_ignores_nonsense() -> None:
    view = View.from_params(
        {
            "up": "3",
            "down": "x",
            "tests": "1",
            "sources": "0",
            "collapse": "folder:a,nope:b,x",
            "expand": "+a,,b+",
            "path": "a,b,c",
            "color": "purple",
        }
    )
    assert view.up == 3
    assert view.down == 1
    assert view.tests
    assert not view.sources
    assert view.collapse == ("folder:a",)
    assert view.expand == ("+a", "b+")
    assert view.path == ("a", "b")
    assert view.color == "type"


def test_impact_groups_downstream_by_distance_with_exposure_owners() -> None:
    result = impact(dag(), "model.p.stg")
    levels = {d: {n.unique_id for n in nodes} for d, nodes in result.levels}
    assert levels == {
        1: {"model.p.int"},
        2: {"model.p.mart", "model.p.other_mart"},
        3: {"exposure.p.dash"},
    }
    assert [e.unique_id for e in result.exposures] == ["exposure.p.dash"]
    assert result.owners == ["ana@example.com"]
    # distances are the shortest ones
    assert nx.shortest_path_length(dag().graph, "model.p.stg", "exposure.p.dash") == 3

"""The lineage DAG of an environment, and the traversals lineage pages and selectors need.

A `Dag` is a networkx DiGraph whose nodes are dbt unique_ids and whose edges point upstream ->
downstream (parent -> child), as dbt-core's own graph does, plus one `NodeInfo` per node: the
few attributes selection and layout read, held in memory so that no traversal or selector
touches the database. lineage.queries builds one per environment and load; everything here
is plain Python.

A node that is referenced but not in the environment (another project's public model, a
disabled node) is a *placeholder*: its NodeInfo is derived from the unique_id alone, so lineage
stays connected through it.

Traversals follow dbt-core's `core/dbt/graph/graph.py` (1.11): `upstream`/`downstream` walk
layer by layer with an optional depth and do not count the start nodes unless another start
node reaches them; `childrens_parents` is the `@` operator; `collapse` is dbt's
`get_subset_graph` (removed nodes leave bridging edges behind).

A Dag is never modified once built: it is shared between threads and requests.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

# Resource types whose unique_id is <type>.<package>.<name>[.<more>] (all of them, today).
# Sources add the source name: source.<package>.<source>.<table>.
TEST_TYPES = frozenset({"test", "unit_test"})


@dataclass(frozen=True, slots=True)
class NodeInfo:
    """What selection and layout know about a node, without the database."""

    unique_id: str
    resource_type: str
    name: str
    package_name: str = ""
    fqn: tuple[str, ...] = ()
    path: str = ""
    original_file_path: str = ""
    patch_path: str = ""  # "package://models/x.yml", as dbt writes it
    tags: tuple[str, ...] = ()
    # dbt's config of the node with empty values (None, "", [], {}) dropped: no selector value
    # can equal them, and 20k test configs are mostly empty.
    config: Mapping[str, Any] = field(default_factory=dict, compare=False)
    access: str = ""
    group: str = ""
    version: str = ""
    latest_version: str = ""
    test_type: str = ""  # generic, singular, unit
    test_name: str = ""
    source_name: str = ""
    # For layout and display
    modeling_layer: str = ""
    folder: str = ""
    materialized: str = ""
    status: str = ""  # of the node's last execution: success, error, pass, fail, ...
    owner: str = ""
    placeholder: bool = False

    @property
    def is_test(self) -> bool:
        return self.resource_type in TEST_TYPES

    @classmethod
    def placeholder_for(cls, unique_id: str) -> NodeInfo:
        """A node known only by its id: resource type, package and name come from the id."""
        parts = unique_id.split(".")
        resource_type = parts[0]
        package = parts[1] if len(parts) > 1 else ""
        rest = parts[2:]
        source_name = version = ""
        if resource_type == "source" and len(rest) >= 2:
            source_name, rest = rest[0], rest[1:]
        elif resource_type == "model" and len(rest) == 2 and rest[1][:1] == "v":
            # model.<package>.<name>.v<version>: dbt model names cannot hold dots.
            version = rest[1][1:]
        name = rest[0] if rest else unique_id
        fqn = (package, name, f"v{version}") if version else (package, name)
        return cls(
            unique_id=unique_id,
            resource_type=resource_type,
            name=name,
            package_name=package,
            fqn=fqn if package else (name,),
            source_name=source_name,
            version=version,
            placeholder=True,
        )


class Dag:
    """An environment's lineage: `graph` (parent -> child) and `infos` (unique_id -> NodeInfo).

    Every node of the graph has an info; `projects` names the dbt projects loaded (what the
    `package:this` selector means).
    """

    __slots__ = ("graph", "infos", "projects", "_memo")

    def __init__(
        self,
        graph: nx.DiGraph[str],
        infos: Mapping[str, NodeInfo] | None = None,
        *,
        projects: Iterable[str] = (),
    ) -> None:
        infos = infos or {}
        self.graph = graph
        self.infos: Mapping[str, NodeInfo] = {
            uid: infos.get(uid) or NodeInfo.placeholder_for(uid) for uid in graph
        }
        self.projects = frozenset(projects)
        # Indexes that selector methods build on first use (see lineage.selection).
        self._memo: dict[str, Any] = {}

    @classmethod
    def build(
        cls,
        nodes: Iterable[NodeInfo],
        edges: Iterable[tuple[str, str]],
        *,
        projects: Iterable[str] = (),
    ) -> Dag:
        """A Dag of `nodes` and `edges` (parent, child); unknown ids become placeholders."""
        infos = {info.unique_id: info for info in nodes}
        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_nodes_from(infos)
        graph.add_edges_from(edges)
        return cls(graph, infos, projects=projects)

    def __contains__(self, unique_id: object) -> bool:
        return unique_id in self.infos

    def __iter__(self) -> Iterator[str]:
        return iter(self.infos)

    def __len__(self) -> int:
        return len(self.infos)

    def __repr__(self) -> str:
        return f"<Dag {len(self.infos)} nodes, {self.graph.number_of_edges()} edges>"

    @property
    def placeholders(self) -> frozenset[str]:
        return frozenset(uid for uid, info in self.infos.items() if info.placeholder)

    def memo(self, key: str) -> Any:
        return self._memo.get(key)

    def remember(self, key: str, value: Any) -> Any:
        """Keep an index built from this Dag; two threads may both build it, harmlessly."""
        self._memo[key] = value
        return value

    def parents(self, unique_id: str) -> list[str]:
        return list(self.graph.pred[unique_id]) if unique_id in self.infos else []

    def children(self, unique_id: str) -> list[str]:
        return list(self.graph.succ[unique_id]) if unique_id in self.infos else []

    # ----------------------------------------------------------------------------------------
    # Traversals

    def _walk(self, start: Iterable[str], upward: bool, depth: int | None) -> set[str]:
        adjacency = self.graph.pred if upward else self.graph.succ
        found: set[str] = set()
        frontier = {uid for uid in start if uid in self.infos}
        level = 0
        while frontier and (depth is None or level < depth):
            layer: set[str] = set()
            for uid in frontier:
                layer.update(n for n in adjacency[uid] if n not in found)
            found |= layer
            frontier = layer
            level += 1
        return found

    def upstream(self, ids: Iterable[str], depth: int | None = None) -> set[str]:
        """Ancestors of `ids`, at most `depth` edges away (all when None).

        A start node is in the result only when another start node is downstream of it, as in
        dbt's `select_parents`. Unknown ids are ignored.
        """
        return self._walk(ids, True, depth)

    def downstream(self, ids: Iterable[str], depth: int | None = None) -> set[str]:
        """Descendants of `ids`, at most `depth` edges away (all when None); see upstream."""
        return self._walk(ids, False, depth)

    def childrens_parents(self, ids: Iterable[str]) -> set[str]:
        """The `@` operator: `ids`, all their descendants, and all ancestors of those."""
        start = {uid for uid in ids if uid in self.infos}
        descendants = self.downstream(start) | start
        return self.upstream(descendants) | descendants

    def tests_of(self, ids: Iterable[str]) -> set[str]:
        """Tests and unit tests that depend directly on any of `ids`."""
        tests: dict[str, tuple[str, ...]] | None = self._memo.get("tests")
        if tests is None:
            infos = self.infos
            tests = {}
            for uid, children in self.graph.succ.items():
                found = tuple(c for c in children if infos[c].is_test and not infos[c].placeholder)
                if found:
                    tests[uid] = found
            self._memo["tests"] = tests
        selected: set[str] = set()
        for uid in ids:
            selected.update(tests.get(uid, ()))
        return selected

    def subgraph(self, ids: Iterable[str]) -> Dag:
        """The Dag restricted to `ids` (a view of the graph: nothing is copied)."""
        keep = {uid for uid in ids if uid in self.infos}
        view = self.graph.subgraph(keep)
        return Dag(view, {uid: self.infos[uid] for uid in keep}, projects=self.projects)

    def collapse(self, keep: Iterable[str]) -> Dag:
        """Only the nodes of `keep`, with lineage through the removed nodes kept as edges.

        dbt's `get_subset_graph`: an edge a -> b joins two kept nodes when the graph has a
        path from a to b whose inner nodes are all removed. Such an edge carries
        `bridged=True` unless a and b were also joined directly. Used to hide tests or
        ephemeral models without breaking lineage. The walk from each kept node stops at the
        next kept nodes, so collapse a subgraph (not a whole 10k-node Dag) to bound the work.
        """
        kept = {uid for uid in keep if uid in self.infos}
        succ = self.graph.succ
        out: nx.DiGraph[str] = nx.DiGraph()
        out.add_nodes_from(kept)
        for start in kept:
            seen: set[str] = set()
            stack = list(succ[start])
            while stack:
                uid = stack.pop()
                if uid in seen:
                    continue
                seen.add(uid)
                if uid not in kept:
                    stack.extend(succ[uid])
                elif uid != start:
                    out.add_edge(start, uid, bridged=uid not in succ[start])
        return Dag(out, {uid: self.infos[uid] for uid in kept}, projects=self.projects)

    def shortest_path(self, a: str, b: str) -> list[str] | None:
        """The shortest chain of edges between a and b, upstream first, whichever way it runs.

        None when neither is downstream of the other (or either is unknown).
        """
        if a not in self.infos or b not in self.infos:
            return None
        for source, target in ((a, b), (b, a)):
            try:
                path: list[str] = nx.shortest_path(self.graph, source, target)
            except nx.NetworkXNoPath:
                continue
            return path
        return None

    def between(self, a: str, b: str) -> set[str]:
        """Every node on some path between a and b (both included); empty when unrelated."""
        if a not in self.infos or b not in self.infos:
            return set()
        if a == b:
            return {a}
        for up, down in ((a, b), (b, a)):
            below = self.downstream([up])
            if down in below:
                return (below & self.upstream([down])) | {up, down}
        return set()

    def find_cycle(self) -> list[str] | None:
        """One cycle as [a, b, ..., a], or None when the graph is acyclic (as dbt requires)."""
        try:
            edges = nx.find_cycle(self.graph)
        except nx.NetworkXNoCycle:
            return None
        cycle: list[str] = [str(edge[0]) for edge in edges]
        return [*cycle, cycle[0]]

"""dbt's node selection syntax: parse a selection string, evaluate it against a Dag.

    spec = parse("+fct_orders,tag:finance stg_*", exclude="resource_type:test")
    ids = evaluate(dag, spec)                  # or select(dag, "+fct_orders", "tag:pii")

The semantics are dbt-core 1.11's (`core/dbt/graph/`: cli.py, selector_spec.py, selector.py,
selector_methods.py; as of 1.11.16, which wrote examples/artifacts and whose fqn wildcards also
match a bare name), checked against `dbt ls` by tests/lineage/test_selection_dbt.py:

- a selection is a union of space-separated pieces; a piece is an intersection of
  comma-separated criteria; the exclude string is subtracted from the union;
- a criterion is `[@][N+][method[.key]:]value[+N]`: `N+` adds ancestors (N levels, or all),
  `+N` descendants, `@` descendants and all of their ancestors;
- with no method, a value with a "/" is a `path:`, one ending in .sql/.py/.csv a `file:`,
  anything else an `fqn:`; values are fnmatch patterns (`*`, `?`, `[...]`);
- tests are selected *indirectly* as `dbt ls` does by default ("eager"): every test or unit
  test that depends on a selected node joins the selection of that criterion, before unions,
  intersections and the exclude are applied;
- an empty selection means dbt's default includes, `fqn:* source:* exposure:* metric:*
  semantic_model:*` (every node).

Where Lantern is stricter than dbt, it is so that a typo gets a message instead of an empty
page: a malformed selector raises `InvalidSelector`, with the position of the offending piece,
where dbt would crash, warn, or quietly select nothing (an unknown method, `tag:` without a
value, `@a+`, a `version:`/`test_type:`/`access:` value that does not exist, `config` without a
key, a key on another method, `a,,b`). A well-formed selector that matches nothing is not an
error: it selects the empty set. `state:`, `result:` and `source_status:` compare with another
run (`--state`) and are refused with a message saying so.

Other differences, none of which the corpus can see:
- `path:` globs the paths the catalog knows (every node's file, the folders above it, YAML
  patch files) rather than the file system: the same answer for every glob that can select
  a node;
- `test_type:` takes generic, singular, unit, data or schema; dbt also takes any substring of
  "data", "singular" or "unit" (a `value in ("data")` without the tuple's comma);
- `package:this` is any project loaded into the environment (dbt: the project being run);
- placeholders (nodes referenced but not loaded) match what their unique_id tells: fqn,
  package, resource_type, source and version; dbt's graph would not have them at all.
"""

from __future__ import annotations

import difflib
import enum
import fnmatch
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from lineage.graph import Dag, NodeInfo


class InvalidSelector(ValueError):
    """A selection string that cannot be parsed: what is wrong, and where.

    `position` is the 0-based offset of the problem in `selector` (the string that was
    parsed, `field` saying which: "select" or "exclude"). str() shows the message, then the
    selector with a caret under the problem.
    """

    def __init__(
        self, message: str, position: int = 0, *, selector: str = "", field: str = "select"
    ) -> None:
        self.message = message
        self.position = position
        self.selector = selector
        self.field = field
        super().__init__(message)

    @property
    def pointer(self) -> str:
        """The selector, and a caret under the problem on the line below."""
        return f"{self.selector}\n{' ' * self.position}^"

    def __str__(self) -> str:
        if not self.selector:
            return self.message
        where = "" if self.field == "select" else f" (in {self.field})"
        return f"{self.message}{where}\n  {self.selector}\n  {' ' * self.position}^"


class Method(enum.StrEnum):
    FQN = "fqn"
    TAG = "tag"
    GROUP = "group"
    ACCESS = "access"
    SOURCE = "source"
    PATH = "path"
    FILE = "file"
    PACKAGE = "package"
    CONFIG = "config"
    TEST_NAME = "test_name"
    TEST_TYPE = "test_type"
    RESOURCE_TYPE = "resource_type"
    EXPOSURE = "exposure"
    METRIC = "metric"
    SEMANTIC_MODEL = "semantic_model"
    SAVED_QUERY = "saved_query"
    UNIT_TEST = "unit_test"
    VERSION = "version"


# dbt methods that compare with another run (`--state`); Lantern holds one state per load.
UNSUPPORTED = {
    "state": "compares with a previous manifest (dbt --state)",
    "result": "reads the results of a previous run (dbt --state)",
    "source_status": "compares two freshness runs (dbt --state)",
}
# NodeType values of dbt-core 1.11 (resource_type: accepts any of them, as dbt does).
RESOURCE_TYPES = (
    "model analysis test snapshot operation seed rpc sql_operation doc source macro exposure "
    "metric group saved_query semantic_model unit_test fixture function"
).split()
# What the value of some methods must be (dbt raises on anything else, or for access, quietly
# matches nothing).
ALLOWED_VALUES: dict[Method, tuple[str, ...]] = {
    Method.VERSION: ("latest", "prerelease", "old", "none"),
    Method.TEST_TYPE: ("generic", "singular", "unit", "data", "schema"),
    Method.ACCESS: ("private", "protected", "public"),
    Method.RESOURCE_TYPE: tuple(RESOURCE_TYPES),
}
# How many dot-separated parts the value of some methods may have: source:src.table, ...
VALUE_SHAPES: dict[Method, tuple[int, str]] = {
    Method.SOURCE: (3, "source_name, source_name.table or package.source_name.table"),
    Method.EXPOSURE: (2, "exposure_name or package.exposure_name"),
    Method.METRIC: (2, "metric_name or package.metric_name"),
    Method.SEMANTIC_MODEL: (2, "semantic_model_name or package.semantic_model_name"),
    Method.SAVED_QUERY: (2, "saved_query_name or package.saved_query_name"),
    Method.UNIT_TEST: (2, "unit_test_name or package.unit_test_name"),
}
EXAMPLES = {
    Method.FQN: "fqn:marts.finance",
    Method.TAG: "tag:nightly",
    Method.GROUP: "group:finance",
    Method.ACCESS: "access:public",
    Method.SOURCE: "source:stripe.payments",
    Method.PATH: "path:models/staging",
    Method.FILE: "file:orders.sql",
    Method.PACKAGE: "package:this",
    Method.CONFIG: "config.materialized:table",
    Method.TEST_NAME: "test_name:not_null",
    Method.TEST_TYPE: "test_type:singular",
    Method.RESOURCE_TYPE: "resource_type:model",
    Method.EXPOSURE: "exposure:weekly_kpis",
    Method.METRIC: "metric:revenue",
    Method.SEMANTIC_MODEL: "semantic_model:orders",
    Method.SAVED_QUERY: "saved_query:weekly_orders",
    Method.UNIT_TEST: "unit_test:test_is_valid_email",
    Method.VERSION: "version:latest",
}
DEFAULT_INCLUDES = "fqn:* source:* exposure:* metric:* semantic_model:*"
WILDCARD_CHARS = frozenset("*?[]")
# dbt's "manifest.nodes": what selector methods call parsed nodes.
NOT_PARSED = frozenset(
    {"source", "exposure", "metric", "semantic_model", "saved_query", "unit_test", "function"}
)


class Indirect(enum.StrEnum):
    """Which tests join a selection because a node they test is selected (dbt's
    --indirect-selection): eager adds every test of a selected node, empty adds none."""

    EAGER = "eager"
    EMPTY = "empty"


# --------------------------------------------------------------------------------------------
# Specs


@dataclass(frozen=True, slots=True)
class Criteria:
    """One `[@][N+]method[.key]:value[+N]` piece."""

    method: Method
    value: str
    arguments: tuple[str, ...] = ()  # config.materialized -> ("materialized",)
    parents: bool = False
    parents_depth: int | None = None
    children: bool = False
    children_depth: int | None = None
    childrens_parents: bool = False
    raw: str = field(default="", compare=False)
    position: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Union:
    parts: tuple[Spec, ...]


@dataclass(frozen=True, slots=True)
class Intersection:
    parts: tuple[Spec, ...]


@dataclass(frozen=True, slots=True)
class Difference:
    include: Spec
    exclude: Spec


Spec = Criteria | Union | Intersection | Difference


# --------------------------------------------------------------------------------------------
# Parsing

PARENTS_RE = re.compile(r"(\d*)\+")
CHILDREN_RE = re.compile(r"\+(\d*)\Z")
METHOD_RE = re.compile(r"([\w.]+):")


def parse(select: str = "", exclude: str = "") -> Spec:
    """The spec of `select` minus `exclude`; an empty `select` means dbt's default includes.

    Raises InvalidSelector, whose `field` says which of the two strings is wrong.
    """
    include = parse_union(select if select.strip() else DEFAULT_INCLUDES, field="select")
    if not exclude.strip():
        return include
    return Difference(include, parse_union(exclude, field="exclude"))


def parse_union(text: str, *, field: str = "select") -> Spec:
    """Space-separated pieces (a union), each a comma-separated intersection of criteria."""
    pieces: list[Spec] = []
    for match in re.finditer(r"\S+", text):
        piece, start = match.group(), match.start()
        criteria: list[Spec] = []
        offset = 0
        for raw in piece.split(","):
            if not raw:
                what = "nothing" if len(piece) == 1 else "an empty selector"
                raise InvalidSelector(
                    f"{what} around ',': a comma joins two selectors that must both match "
                    "(tag:a,tag:b)",
                    start + offset,
                    selector=text,
                    field=field,
                )
            criteria.append(parse_criteria(raw, start + offset, text=text, field=field))
            offset += len(raw) + 1
        pieces.append(criteria[0] if len(criteria) == 1 else Intersection(tuple(criteria)))
    if len(pieces) == 1:
        return pieces[0]
    return Union(tuple(pieces))


def parse_criteria(
    raw: str, position: int = 0, *, text: str = "", field: str = "select"
) -> Criteria:
    """One criterion, found at `position` of `text` (for error messages)."""
    text = text or raw

    def fail(message: str, at: int) -> InvalidSelector:
        return InvalidSelector(message, position + at, selector=text, field=field)

    at = 0
    childrens_parents = raw.startswith("@")
    if childrens_parents:
        at = 1
    parents = PARENTS_RE.match(raw, at)
    if parents:
        at = parents.end()
    children = CHILDREN_RE.search(raw, at)
    end = children.start() if children else len(raw)
    body = raw[at:end]
    if childrens_parents and children:
        raise fail(
            "'@' and a trailing '+' cannot be combined: '@' already selects every descendant "
            "(and all of their ancestors)",
            end,
        )

    method_match = METHOD_RE.match(body)
    value_at = at + (method_match.end() if method_match else 0)
    value = body[method_match.end() :] if method_match else body
    arguments: tuple[str, ...] = ()
    if method_match:
        name, *args = method_match.group(1).split(".")
        method = _method(name, fail, at)
        arguments = tuple(args)
        if method is Method.CONFIG and (not arguments or not all(arguments)):
            raise fail("config needs a key: config.materialized:table, config.meta.owner:alice", at)
        if method is not Method.CONFIG and arguments:
            raise fail(
                f"only config takes a key ('config.{'.'.join(args)}:'); {name}: takes none",
                at + len(name),
            )
    else:
        method = default_method(value)

    if not value:
        if method_match:
            message = f"{method_match.group()} needs a value after the colon, e.g. "
            message += EXAMPLES[method]
        else:
            prefix = raw[:at]
            message = f"'{raw}' names nothing to select: put a node name or method:value "
            message += f"after '{prefix}', e.g. {prefix}my_model"
        raise fail(message, value_at)
    if value[0] in "@+":
        what = "'@' may only start a selector" if value[0] == "@" else "one '+' at a time"
        raise fail(f"{what}: [@][N+]method:value[+N]", value_at)
    if value.endswith("+"):
        raise fail("one '+' at a time: [@][N+]method:value[+N]", value_at + len(value) - 1)

    _check_value(method, value, lambda message: fail(message, value_at))
    return Criteria(
        method=method,
        value=value,
        arguments=arguments,
        parents=parents is not None,
        parents_depth=int(parents.group(1)) if parents and parents.group(1) else None,
        children=children is not None,
        children_depth=int(children.group(1)) if children and children.group(1) else None,
        childrens_parents=childrens_parents,
        raw=raw,
        position=position,
    )


def default_method(value: str) -> Method:
    """dbt's inference: a path if it has a "/", a file for .sql/.py/.csv, else an fqn."""
    if "/" in value:
        return Method.PATH
    if value.lower().endswith((".sql", ".py", ".csv")):
        return Method.FILE
    return Method.FQN


def _method(name: str, fail: Callable[[str, int], InvalidSelector], at: int) -> Method:
    try:
        return Method(name)
    except ValueError:
        pass
    if name in UNSUPPORTED:
        raise fail(f"{name}: {UNSUPPORTED[name]}, which Lantern does not support", at)
    names = [m.value for m in Method]
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"did you mean {close[0]}:? " if close else ""
    raise fail(f"unknown method '{name}': {hint}methods are {', '.join(names)}", at)


def _check_value(method: Method, value: str, fail: Callable[[str], InvalidSelector]) -> None:
    allowed = ALLOWED_VALUES.get(method)
    if allowed and value not in allowed:
        raise fail(f"{method}: is one of {', '.join(allowed)}, not '{value}'")
    shape = VALUE_SHAPES.get(method)
    if shape and value.count(".") >= shape[0]:
        raise fail(f"{method}: takes {shape[1]}")
    if method is Method.PATH:
        if value.startswith("/"):
            raise fail("path: is relative to the project folder (models/staging, not /...)")
        parts = PurePosixPath(value).parts
        if not parts:
            raise fail("path: needs a file or folder of the project, e.g. path:models/staging")
        if ".." in parts:
            raise fail("path: cannot leave the project folder ('..')")
        if any("**" in p and p != "**" for p in parts):
            raise fail("path: '**' must be a whole path segment (models/**/x.sql)")


# --------------------------------------------------------------------------------------------
# Evaluation


def select(
    dag: Dag,
    select: str = "",
    exclude: str = "",
    *,
    indirect: Indirect = Indirect.EAGER,
    resource_types: Iterable[str] | None = None,
) -> set[str]:
    """The unique_ids `select` minus `exclude` picks in `dag`; see evaluate."""
    return evaluate(dag, parse(select, exclude), indirect=indirect, resource_types=resource_types)


def evaluate(
    dag: Dag,
    spec: Spec,
    *,
    indirect: Indirect = Indirect.EAGER,
    resource_types: Iterable[str] | None = None,
) -> set[str]:
    """The unique_ids `spec` selects in `dag`.

    `resource_types`, when given, keeps only nodes of those types at the end, as `dbt ls
    --resource-type` does (after selection, so `+exposure:x` still walks through models).
    """
    selected = _evaluate(dag, spec, indirect)
    if resource_types is not None:
        wanted = set(resource_types)
        infos = dag.infos
        selected = {uid for uid in selected if infos[uid].resource_type in wanted}
    return selected


def _evaluate(dag: Dag, spec: Spec, indirect: Indirect) -> set[str]:
    if isinstance(spec, Criteria):
        return _criteria(dag, spec, indirect)
    if isinstance(spec, Difference):
        return _evaluate(dag, spec.include, indirect) - _evaluate(dag, spec.exclude, indirect)
    sets = [_evaluate(dag, part, indirect) for part in spec.parts]
    if not sets:
        return set()
    if isinstance(spec, Union):
        return set().union(*sets)
    return set.intersection(*sets)


def _criteria(dag: Dag, spec: Criteria, indirect: Indirect) -> set[str]:
    collected = METHODS[spec.method](dag, spec.value, spec.arguments)
    selected = set(collected)
    if spec.childrens_parents:
        selected |= dag.childrens_parents(collected)
    if spec.parents:
        selected |= dag.upstream(collected, spec.parents_depth)
    if spec.children:
        selected |= dag.downstream(collected, spec.children_depth)
    if indirect is Indirect.EAGER:
        selected |= dag.tests_of(selected)
    return selected


def prepare(dag: Dag) -> Dag:
    """Build the indexes selector methods use (fqn parts, files, tests of each node) now,
    rather than in the first request that needs each."""
    _fqn_index(dag)
    _files(dag)
    _file_names(dag)
    dag.tests_of(())
    return dag


# --------------------------------------------------------------------------------------------
# Methods: (dag, value, arguments) -> matching unique_ids, over dag.infos only.

MethodFn = Callable[[Dag, str, tuple[str, ...]], set[str]]


def matcher(pattern: str) -> Callable[[str], bool]:
    """fnmatch as dbt uses it on POSIX: case-sensitive; plain equality without wildcards."""
    if WILDCARD_CHARS.isdisjoint(pattern):
        return pattern.__eq__
    match = re.compile(fnmatch.translate(pattern)).match
    return lambda text: match(text) is not None


# One row per node but sources: the fqn with and without its package (names match across
# packages), each flattened (dots in model names act as namespace separators) and joined.
FqnRow = tuple[str, tuple[str, ...], tuple[str, ...], str, bool]


def _fqn_index(dag: Dag) -> tuple[list[FqnRow], dict[str, list[FqnRow]]]:
    """The fqn rows of the Dag, and the rows by each key that can start a match without
    wildcards: the first flattened part, and the leaf names (for versions: the model's name
    and name_vN). Built once per Dag."""
    memo: tuple[list[FqnRow], dict[str, list[FqnRow]]] | None = dag.memo("fqn")
    if memo is not None:
        return memo
    rows: list[FqnRow] = []
    keys: dict[str, list[FqnRow]] = {}
    for uid, info in dag.infos.items():
        if info.resource_type == "source":
            continue
        versioned = bool(info.version) and info.resource_type == "model"
        for fqn in (info.fqn, info.fqn[1:]):
            flat = tuple(part for segment in fqn for part in segment.split("."))
            row = (uid, fqn, flat, ".".join(flat), versioned)
            rows.append(row)
            found = {flat[0]} if flat else set()
            if fqn:
                found.add(fqn[-1])
            if versioned and len(fqn) >= 2:
                found.update((fqn[-2], "_".join(fqn[-2:])))
            for key in found:
                keys.setdefault(key, []).append(row)
    dag.remember("fqn", (rows, keys))
    return rows, keys


def _fqn(dag: Dag, value: str, arguments: tuple[str, ...]) -> set[str]:
    """dbt's is_selected_node (1.11.16), for the fqn with and without its package."""
    parts = value.split(".")
    wildcard_at = next(
        (i for i, part in enumerate(parts) if not WILDCARD_CHARS.isdisjoint(part)), None
    )
    tail = matcher(".".join(parts[wildcard_at:])) if wildcard_at is not None else None
    last_two = "_".join(parts[-2:])
    rows, keys = _fqn_index(dag)
    if value == "*":
        return {row[0] for row in rows if row[2]}
    if wildcard_at == 0:
        candidates: Iterable[FqnRow] = rows
    else:
        # Without a wildcard in the first part, a match starts with parts[0] or is a leaf.
        candidates = [row for key in {parts[0], value, last_two} for row in keys.get(key, ())]

    found: set[str] = set()
    for uid, fqn, flat, joined, versioned in candidates:
        if uid in found:
            continue
        # The leaf name (and for versions name, name_vN, name.vN)...
        if versioned:
            if len(fqn) >= 2 and (fqn[-2] == value or "_".join(fqn[-2:]) == last_two):
                found.add(uid)
                continue
        elif fqn and fqn[-1] == value:
            found.add(uid)
            continue
        # ...or a dotted prefix of the fqn, wildcards matching the rest from their part on.
        if len(flat) < len(parts):
            continue
        if wildcard_at is None or tail is None:
            if flat[: len(parts)] == tuple(parts):
                found.add(uid)
            continue
        if flat[:wildcard_at] != tuple(parts[:wildcard_at]):
            continue
        rest = joined if wildcard_at == 0 else ".".join(flat[wildcard_at:])
        # dbt 1.11.16: a wildcard without dots also matches the name alone, however deep the
        # node is (for a version, the model's name rather than "v2").
        if tail(rest) or ("." not in value and tail(fqn[-2] if versioned else fqn[-1])):
            found.add(uid)
    return found


def _tag(dag: Dag, value: str, arguments: tuple[str, ...]) -> set[str]:
    if WILDCARD_CHARS.isdisjoint(value):
        return {uid for uid, info in dag.infos.items() if value in info.tags}
    match = matcher(value)
    return {uid for uid, info in dag.infos.items() if any(match(tag) for tag in info.tags)}


def _group(dag: Dag, value: str, arguments: tuple[str, ...]) -> set[str]:
    # dbt reads config.group of models, seeds, snapshots, tests, analyses and metrics; a
    # test's own `group` (its model's) is not in its config.
    match = matcher(value)
    found: set[str] = set()
    for uid, info in dag.infos.items():
        if info.resource_type in NOT_PARSED and info.resource_type != "metric":
            continue
        group = info.config.get("group")
        if isinstance(group, str) and group and match(group):
            found.add(uid)
    return found


def _access(dag: Dag, value: str, arguments: tuple[str, ...]) -> set[str]:
    return {
        uid
        for uid, info in dag.infos.items()
        if info.resource_type == "model" and info.access == value
    }


def _package_and_name(
    dag: Dag, value: str, resource_type: str, *, with_source: bool = False
) -> set[str]:
    parts = value.split(".")
    package = "*"
    source = "*"
    if with_source:
        if len(parts) == 1:
            source, name = parts[0], "*"
        elif len(parts) == 2:
            source, name = parts
        else:
            package, source, name = parts
    elif len(parts) == 1:
        name = parts[0]
    else:
        package, name = parts
    match_package, match_source, match_name = matcher(package), matcher(source), matcher(name)
    return {
        uid
        for uid, info in dag.infos.items()
        if info.resource_type == resource_type
        and match_package(info.package_name)
        and (not with_source or match_source(info.source_name))
        and match_name(info.name)
    }


def _source(dag: Dag, value: str, arguments: tuple[str, ...]) -> set[str]:
    return _package_and_name(dag, value, "source", with_source=True)


def _named(resource_type: str) -> MethodFn:
    def search(dag: Dag, value: str, arguments: tuple[str, ...]) -> set[str]:
        return _package_and_name(dag, value, resource_type)

    return search


def _files(dag: Dag) -> tuple[dict[str, set[str]], dict[str, Any]]:
    """The project's files as selectors see them, built once per Dag.

    Returns (path -> unique_ids it selects, the folder tree). A node is selected by its
    original_file_path, by every folder above it, and by its YAML patch file. The tree holds
    every path any node names, which is all that dbt's glob over the real folder could match
    and still select something.
    """
    memo: tuple[dict[str, set[str]], dict[str, Any]] | None = dag.memo("files")
    if memo is not None:
        return memo
    by_path: dict[str, set[str]] = {}
    tree: dict[str, Any] = {}

    def add(path: str, uid: str, *, folders: bool) -> None:
        parts = path_parts(path)
        node = tree
        for i, part in enumerate(parts):
            child = node.get(part)
            if child is None:
                child = node[part] = {} if i < len(parts) - 1 else FILE
            elif child is FILE and i < len(parts) - 1:
                return  # a file and a folder of one name: not a real project
            node = child
        by_path.setdefault("/".join(parts), set()).add(uid)
        if folders:
            for i in range(len(parts)):
                by_path.setdefault("/".join(parts[:i]), set()).add(uid)

    for uid, info in dag.infos.items():
        if info.original_file_path:
            add(info.original_file_path, uid, folders=True)
        if "://" in info.patch_path:
            add(info.patch_path.split("://", 1)[1], uid, folders=False)
    dag.remember("files", (by_path, tree))
    return by_path, tree


FILE: dict[str, Any] = {}  # the tree's marker for a file (identity, not equality)


def glob(tree: dict[str, Any], pattern: str) -> set[str]:
    """The paths of `tree` that Python 3.11's `Path.glob(pattern)` yields (as "a/b" strings;
    "" for the root): `*`, `?`, `[...]` within a segment, `**` for any folders (folders only
    when last)."""
    parts = PurePosixPath(pattern).parts
    found: set[str] = set()

    def walk(node: dict[str, Any], prefix: tuple[str, ...], i: int) -> None:
        if i == len(parts):
            found.add("/".join(prefix))
            return
        part, last = parts[i], i == len(parts) - 1
        if part == "**":
            stack = [(node, prefix)]
            while stack:
                folder, where = stack.pop()
                walk(folder, where, i + 1)
                stack.extend(
                    (child, (*where, name)) for name, child in folder.items() if child is not FILE
                )
            return
        if WILDCARD_CHARS.isdisjoint(part):
            entries = [(part, node[part])] if part in node else []
        else:
            match = matcher(part)
            entries = [(name, child) for name, child in node.items() if match(name)]
        for name, child in entries:
            if child is FILE:
                if last:
                    found.add("/".join((*prefix, name)))
            else:
                walk(child, (*prefix, name), i + 1)

    walk(tree, (), 0)
    return found


def _path(dag: Dag, value: str, arguments: tuple[str, ...]) -> set[str]:
    by_path, tree = _files(dag)
    found: set[str] = set()
    for path in glob(tree, value):
        found |= by_path.get(path, set())
    return found


def path_parts(path: str) -> tuple[str, ...]:
    """ "models/x.sql" -> ("models", "x.sql"), as PurePosixPath(path).parts would be for the
    relative paths dbt writes (a manifest written on Windows has backslashes)."""
    return tuple(p for p in path.replace("\\", "/").split("/") if p and p != ".")


def _file_names(dag: Dag) -> list[tuple[str, str, str]]:
    """(unique_id, file name, file stem) of every node with a file, built once per Dag."""
    memo: list[tuple[str, str, str]] | None = dag.memo("file_names")
    if memo is not None:
        return memo
    names = []
    for uid, info in dag.infos.items():
        if info.original_file_path:
            name = info.original_file_path.replace("\\", "/").rsplit("/", 1)[-1]
            dot = name.rfind(".")
            # PurePath.stem: the name without its last suffix (".env" has none).
            names.append((uid, name, name[:dot] if 0 < dot < len(name) - 1 else name))
    dag.remember("file_names", names)
    return names


def _file(dag: Dag, value: str, arguments: tuple[str, ...]) -> set[str]:
    match = matcher(value)
    return {uid for uid, name, stem in _file_names(dag) if match(name) or match(stem)}


def _package(dag: Dag, value: str, arguments: tuple[str, ...]) -> set[str]:
    # `this` is the project being run in dbt; here, any project loaded into the environment.
    matches = [matcher(p) for p in dag.projects] if value == "this" and dag.projects else []
    if not matches:
        matches = [matcher(value)]
    return {
        uid for uid, info in dag.infos.items() if any(match(info.package_name) for match in matches)
    }


def _config_value(config: Mapping[str, Any], keys: tuple[str, ...]) -> tuple[bool, Any]:
    value: Any = config
    for key in keys:
        if not isinstance(value, Mapping) or key not in value:
            return False, None
        value = value[key]
    return True, value


def _config(dag: Dag, value: str, arguments: tuple[str, ...]) -> set[str]:
    # dbt compares test severity case-insensitively, and "true"/"false" with booleans.
    folded = value.upper()
    case_insensitive = arguments == ("severity",)
    truth = {"TRUE": True, "FALSE": False}.get(folded)

    def equal(item: Any) -> bool:
        if isinstance(item, bool):
            return truth is item
        if isinstance(item, str):
            return item.upper() == folded if case_insensitive else item == value
        return False

    found: set[str] = set()
    for uid, info in dag.infos.items():
        if info.resource_type in NOT_PARSED and info.resource_type != "source":
            continue
        present, item = _config_value(info.config, arguments)
        if not present:
            continue
        if isinstance(item, list):
            if any(equal(element) for element in item):
                found.add(uid)
        elif equal(item):
            found.add(uid)
    return found


def _resource_type(dag: Dag, value: str, arguments: tuple[str, ...]) -> set[str]:
    return {uid for uid, info in dag.infos.items() if info.resource_type == value}


def _test_name(dag: Dag, value: str, arguments: tuple[str, ...]) -> set[str]:
    # Generic tests by the name of their test (unique, not_null, ...), unit tests by their own
    # name; singular tests have no test name.
    match = matcher(value)
    found: set[str] = set()
    for uid, info in dag.infos.items():
        if info.resource_type == "test" and info.test_type == "generic":
            if match(info.test_name):
                found.add(uid)
        elif info.resource_type == "unit_test" and match(info.name):
            found.add(uid)
    return found


TEST_TYPE_KINDS = {
    "generic": {("test", "generic")},
    "schema": {("test", "generic")},  # the name before dbt 1.5
    "singular": {("test", "singular")},
    "data": {("test", "generic"), ("test", "singular")},
    "unit": {("unit_test", "unit")},
}


def _test_type(dag: Dag, value: str, arguments: tuple[str, ...]) -> set[str]:
    kinds = TEST_TYPE_KINDS[value]
    return {uid for uid, info in dag.infos.items() if (info.resource_type, info.test_type) in kinds}


def version_key(version: str) -> float | str:
    """dbt orders versions as numbers when both are numbers, else as strings."""
    try:
        return float(version)
    except ValueError:
        return version


def _older(a: str, b: str) -> bool:
    key_a, key_b = version_key(a), version_key(b)
    if isinstance(key_a, float) and isinstance(key_b, float):
        return key_a < key_b
    return a < b


def _version(dag: Dag, value: str, arguments: tuple[str, ...]) -> set[str]:
    def wanted(info: NodeInfo) -> bool:
        version, latest = info.version, info.latest_version
        if value == "none":
            return not version
        if value == "latest":
            return bool(version) and version == latest
        if not (version and latest):
            return False
        return _older(latest, version) if value == "prerelease" else _older(version, latest)

    return {
        uid for uid, info in dag.infos.items() if info.resource_type == "model" and wanted(info)
    }


METHODS: dict[Method, MethodFn] = {
    Method.FQN: _fqn,
    Method.TAG: _tag,
    Method.GROUP: _group,
    Method.ACCESS: _access,
    Method.SOURCE: _source,
    Method.PATH: _path,
    Method.FILE: _file,
    Method.PACKAGE: _package,
    Method.CONFIG: _config,
    Method.TEST_NAME: _test_name,
    Method.TEST_TYPE: _test_type,
    Method.RESOURCE_TYPE: _resource_type,
    Method.EXPOSURE: _named("exposure"),
    Method.METRIC: _named("metric"),
    Method.SEMANTIC_MODEL: _named("semantic_model"),
    Method.SAVED_QUERY: _named("saved_query"),
    Method.UNIT_TEST: _named("unit_test"),
    Method.VERSION: _version,
}


def selector_for(resource_type: str, name: str, *, version: str = "", source_name: str = "") -> str:
    """A selector that picks exactly this resource (for "open in the lineage explorer")."""
    if resource_type == "source" and source_name:
        return f"source:{source_name}.{name}"
    if resource_type in {"exposure", "metric", "semantic_model", "saved_query", "unit_test"}:
        return f"{resource_type}:{name}"
    if version:
        return f"{name}.v{version}"
    return name

"""Search over an environment's catalog: nodes and columns, ranked, faceted, with snippets.

What is searched: a node's name, description and tags (its "text") and its raw code; a
column's name and description. Column hits are results of their own.

Matching. The query is words (matched as prefixes of words: "cust" finds "customer_id"),
"quoted phrases" (exact words, adjacent and in order) and -exclusions. Words are split at every
character that is not a letter or a digit, in the text and in the query alike, so "stg_orders"
is the phrase "stg orders*" and "customer" finds `customer_id`. A node matches when all of the
query matches its text, or else all of it matches its code (never half in each). A text match is
dropped when an excluded word occurs in its text, a code match when one occurs anywhere in the
node: code mentions everything upstream, so `orders -stg` would otherwise drop every mart (their
SQL refs staging models).

Ranking, best first:

- tier 0: the query is a name (case-insensitive); nodes, then columns;
- tier 1: every word of the query is in the name; names that start with the query first;
- tier 2: the other matches of names, descriptions and tags;
- tier 3: nodes that match only in their code.

Within a tier: relevance, then resource-type order (TYPE_ORDER), then name. Macros of packages
other than the environment's own projects (dbt's and the adapter's ~500) come after everything
else of their tier: they still match, they just do not drown what the user wrote.

Relevance is by field, the same on both backends: a query word in the name counts 10, in the
description 4, in the tags 2; in tier 1, shorter names first (closer to the query). Not bm25 or
ts_rank: measured on the 10k-model project, bm25 costs 1.4 µs a row (40 ms for the 28k columns
matching "id") and ts_rank about as much, for an order that differs between the backends; the
fields a word occurs in are what a catalog's short texts tell apart anyway.

The index is the database's own (catalog/migrations/0005_search_index.py): FTS5 tables kept by
triggers on SQLite, a document table kept by triggers on PostgreSQL. It is written in the
load's transaction, so search always sees one whole snapshot.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from catalog.markdown import markdown_text
from catalog.models import Column, Environment, Node

FILTERS = ("type", "package", "tag", "access", "owner")
# Within a tier, after relevance. Column hits are of type "column".
TYPE_ORDER = (
    "model",
    "source",
    "seed",
    "snapshot",
    "exposure",
    "metric",
    "semantic_model",
    "saved_query",
    "column",
    "test",
    "unit_test",
    "macro",
)
MAX_QUERY_LENGTH = 256
MAX_WORDS = 16
SNIPPET_LENGTH = 160
# Relevance: what a query word found in a name, a description, tags is worth.
WEIGHTS = {"name": 10, "description": 4, "tags": 2}

# A word as both index tokenizers see it: a run of letters and digits.
TOKEN = re.compile(r"[^\W_]+")
# A query piece: an optionally negated "quoted phrase" (closed or not), or a bare word.
PIECE = re.compile(r'(-*)"([^"]*)"?|([^\s"]+)')


# --------------------------------------------------------------------------------------------
# The query


@dataclass(frozen=True)
class SearchQuery:
    raw: str
    terms: tuple[str, ...]  # lower-cased words, matched as prefixes
    phrases: tuple[tuple[str, ...], ...]  # "quoted phrases", words in order
    excluded: tuple[str, ...]  # -word (prefix), -"a phrase" (words joined by a space)

    def is_empty(self) -> bool:
        """Nothing to look for (exclusions alone select nothing)."""
        return not self.terms and not self.phrases

    @property
    def name_text(self) -> str:
        """What a name must equal (or start with) for the top tiers."""
        return " ".join(self.terms + tuple(w for p in self.phrases for w in p))


def _clean(word: str) -> str:
    """A query word without the punctuation around it: "(stg_orders)," is "stg_orders"."""
    tokens = list(TOKEN.finditer(word))
    if not tokens:
        return ""
    return word[tokens[0].start() : tokens[-1].end()].lower()


def parse_query(q: str) -> SearchQuery:
    """Words, "quoted phrases" and -exclusions; anything else is only punctuation.

    Never raises: whatever the input, the result holds only words of letters and digits
    (with the punctuation between them), which the backends receive quoted.
    """
    raw = q[:MAX_QUERY_LENGTH].replace("\x00", " ")  # PostgreSQL takes no NUL in text
    terms: list[str] = []
    phrases: list[tuple[str, ...]] = []
    excluded: list[str] = []
    budget = MAX_WORDS
    for match in PIECE.finditer(raw):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None:
            negated = word.startswith("-")
            cleaned = _clean(word)
            if not cleaned:
                continue
            target, value = (excluded, cleaned) if negated else (terms, cleaned)
            if value not in target and budget > 0:
                target.append(value)
                budget -= 1
            continue
        words = tuple(w for w in (_clean(w) for w in phrase.split()) if w)
        if not words or budget < len(words):
            continue
        budget -= len(words)
        if negated:
            joined = " ".join(words)
            if joined not in excluded:
                excluded.append(joined)
        elif words not in phrases:
            phrases.append(words)
    return SearchQuery(raw=q, terms=tuple(terms), phrases=tuple(phrases), excluded=tuple(excluded))


def _tokens(word: str) -> list[str]:
    return TOKEN.findall(word)


def _parts(query: SearchQuery) -> tuple[list[tuple[list[str], bool]], list[tuple[list[str], bool]]]:
    """(positive, excluded) as (tokens, matched as a prefix) each."""
    positive = [(_tokens(t), True) for t in query.terms]
    positive += [([t for w in p for t in _tokens(w)], False) for p in query.phrases]
    excluded = [(_tokens(x), " " not in x) for x in query.excluded]
    return positive, excluded


def fts5_expressions(query: SearchQuery) -> dict[str, str]:
    """The FTS5 MATCH expressions of a query (SQLite). Tokens go in double quotes.

    match: the query; name_match: all of it in the name; text_or_excluded: the positive part
    or an excluded word (what keeps a node out of the code-only tier); <field>_any: some of it
    in that field (relevance).
    """

    def phrase(tokens: Sequence[str], prefix: bool) -> str:
        return '"' + " ".join(tokens) + '"' + ("*" if prefix else "")

    positive, excluded = _parts(query)
    pos = " AND ".join(phrase(*p) for p in positive)
    anything = " OR ".join(phrase(*p) for p in positive)
    exclusion = " OR ".join(phrase(*x) for x in excluded)
    return {
        "match": f"({pos}) NOT ({exclusion})" if excluded else pos,
        "name_match": f"{{name}} : ({pos})",
        "text_or_excluded": f"({pos}) OR ({exclusion})" if excluded else pos,
        **{f"{field}_any": f"{{{field}}} : ({anything})" for field in WEIGHTS},
    }


def tsquery_expressions(query: SearchQuery) -> dict[str, str]:
    """The to_tsquery('simple', ...) texts of a query (PostgreSQL), as fts5_expressions().

    Fields are weights of the document: A name, B description, C tags.
    """

    def phrase(tokens: Sequence[str], prefix: bool, weight: str = "") -> str:
        lexemes = [f"'{t}':{weight}" if weight else f"'{t}'" for t in tokens]
        if prefix:
            lexemes[-1] = f"'{tokens[-1]}':*{weight}"
        return "(" + " <-> ".join(lexemes) + ")"

    positive, excluded = _parts(query)
    pos = " & ".join(phrase(*p) for p in positive)
    exclusion = " | ".join(phrase(*x) for x in excluded)
    weights = {"name": "A", "description": "B", "tags": "C"}
    return {
        "match": f"({pos}) & !({exclusion})" if excluded else pos,
        "name_match": " & ".join(phrase(*p, weight="A") for p in positive),
        "text_or_excluded": f"({pos}) | ({exclusion})" if excluded else pos,
        **{
            f"{field}_any": " | ".join(phrase(*p, weight=weights[field]) for p in positive)
            for field in WEIGHTS
        },
    }


# --------------------------------------------------------------------------------------------
# Results


@dataclass
class Hit:
    kind: str  # "node" or "column"
    node_id: int
    unique_id: str
    name: str  # the node's name
    resource_type: str
    package_name: str
    column_name: str  # "" for node hits
    description: str  # the node's or the column's raw description (markdown source)
    # Where it matched: "name", "description", "tags" or "code" for a node; "column" (its
    # name) or "description" for a column.
    matched: str
    tier: int  # 0 exact name, 1 words of the name, 2 other text, 3 code only
    snippet: SafeString  # ≈160 characters around the match, HTML-escaped, <mark>ed


@dataclass
class SearchResults:
    query: SearchQuery
    hits: list[Hit]  # this page only
    total: int  # all matching results (nodes + columns), filters applied
    # "type", "package", "tag", "access", "owner": [(value, count)], count desc then value.
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


@dataclass
class Suggestion:
    kind: str  # "node" or "column"
    unique_id: str  # the node's (for a column: the node it belongs to)
    name: str  # the node's name
    resource_type: str
    column_name: str  # "" for a node


def _empty_facets() -> dict[str, list[tuple[str, int]]]:
    return {name: [] for name in FILTERS}


def search(
    *,
    environment: Environment,
    q: str,
    filters: Mapping[str, str] | None = None,
    page: int = 1,
    per_page: int = 20,
) -> SearchResults:
    """One page of the results of `q` in `environment`, with the total and the facets.

    `filters` narrows by any of type ("column" for column hits), package, tag, access and
    owner (owner_email, else owner_name); a column hit has the package, access, owner and tags
    of its node. Each facet counts the results with every filter applied *except its own*, so
    that it lists the alternatives to the value chosen in it; `total` has them all applied.

    Three queries at most: one statement finds the matches once and returns the page and the
    distinct (type, package, access, owner, tags) of the matches with their counts, from which
    the facets are summed here (a few hundred rows, whatever the number of matches); then the
    page's columns and its nodes.
    """
    query = parse_query(q)
    if query.is_empty():
        return SearchResults(query=query, hits=[], total=0, facets=_empty_facets())
    chosen = {k: v for k, v in (filters or {}).items() if k in FILTERS and v}
    page, per_page = max(1, page), max(1, per_page)
    sql, params = _search_sql(environment.pk, query, chosen, per_page, (page - 1) * per_page)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()

    keys: list[tuple[Any, ...]] = []
    combos: list[tuple[dict[str, str], list[str], int]] = []
    for section, rtype, package, access, owner, tags, count, *key in rows:
        if section == "hit":
            keys.append(tuple(key))
        else:
            values = {"type": rtype, "package": package, "access": access, "owner": owner}
            combos.append((values, _tag_list(tags), count))
    # The page's rows come back in no particular order: sort them again by the key the
    # database sorted by (ORDER_KEY).
    keys.sort()
    total, facets = _facets(combos, chosen)
    return SearchResults(query=query, hits=_hits(query, keys), total=total, facets=facets)


def _tag_list(tags: Any) -> list[str]:
    """A node's tags as stored: a list (PostgreSQL's jsonb), or JSON text (SQLite)."""
    if isinstance(tags, str):
        try:
            tags = json.loads(tags)
        except ValueError:
            return []
    return sorted({str(t) for t in tags}) if isinstance(tags, list) else []


def _facets(
    combos: list[tuple[dict[str, str], list[str], int]], chosen: Mapping[str, str]
) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    """The total with every filter applied, and each facet with all filters but its own."""

    def passes(values: dict[str, str], tags: list[str], skip: str = "") -> bool:
        return all(
            (value in tags) if name == "tag" else values[name] == value
            for name, value in chosen.items()
            if name != skip
        )

    total = 0
    counts: dict[str, dict[str, int]] = {name: {} for name in FILTERS}
    for values, tags, count in combos:
        if passes(values, tags):
            total += count
        for name in FILTERS:
            if not passes(values, tags, skip=name):
                continue
            for value in tags if name == "tag" else [values[name]]:
                if value:  # no package, access or owner is not a facet value
                    counts[name][value] = counts[name].get(value, 0) + count
    facets = {
        name: sorted(values.items(), key=lambda item: (-item[1], item[0]))
        for name, values in counts.items()
    }
    return total, facets


# --------------------------------------------------------------------------------------------
# The statement

# What each match carries (hits): kind 0 for a node, 1 for a column; id, the node's or the
# column's; 0/1 flags: code_only (matched in code only), exact (the name is the query), in_name
# (all of the query is in the name), starts (the name starts with the query), and the fields
# with some of the query (name_any: NULL when the query is one word, as in_name then says it).
HITS_COLUMNS = (
    "kind, id, node_id, code_only, exact, in_name, starts, name_any, description_any, tags_any, "
    "name_length, type, type_rank, sort_name, node_name, package, access, owner, tags, other_macro"
)
TIER = "CASE WHEN code_only = 1 THEN 3 WHEN exact = 1 THEN 0 WHEN in_name = 1 THEN 1 ELSE 2 END"
RELEVANCE = " + ".join(
    f"{weight} * {'coalesce(name_any, in_name)' if field == 'name' else field + '_any'}"
    for field, weight in WEIGHTS.items()
)
# The sort key of results, best first; the page's rows carry it, so that Python can sort them
# again. `nodes_first` puts nodes before columns among exact names; `other_macro` puts other
# packages' macros last in their tier; in tier 1, names that start with the query, then shorter
# names come first. Exact names (tier 0) are all equally relevant.
ORDER_KEY = (
    ("tier", "tier"),
    ("nodes_first", "CASE WHEN tier = 0 THEN kind ELSE 0 END"),
    ("other_macro", "other_macro"),
    ("starts", "CASE WHEN tier = 1 THEN 1 - starts ELSE 0 END"),
    ("score", f"CASE WHEN tier = 0 THEN 0 ELSE -({RELEVANCE}) END"),
    ("name_length", "CASE WHEN tier = 1 THEN name_length ELSE 0 END"),
    ("type_rank", "type_rank"),
    ("sort_name", "sort_name"),
    ("node_name", "node_name"),
    ("kind", "kind"),
    ("id", "id"),
)


def _like(text: str) -> str:
    """`text` as a LIKE pattern matching itself ("\\" escapes)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _search_sql(
    env_id: int, query: SearchQuery, filters: Mapping[str, str], limit: int, offset: int
) -> tuple[str, dict[str, Any]]:
    """The statement behind search(). Its rows: ("hit", NULL x 6, *sort key) for the page,
    ("combo", type, package, access, owner, tags, count, NULL...) for the facets."""
    postgres = connection.vendor == "postgresql"
    exact = query.name_text
    params: dict[str, Any] = {
        "env": env_id,
        "exact": exact,
        "exact_like": _like(exact),
        "prefix_like": _like(exact) + "%",
        "limit": limit,
        "offset": offset,
        **(tsquery_expressions(query) if postgres else fts5_expressions(query)),
        **{f"f_{name}": value for name, value in filters.items()},
    }
    one_word = len(query.terms) + len(query.phrases) == 1
    conditions = []
    for name in filters:
        if name != "tag":
            conditions.append(f"h.{name} = %(f_{name})s")
        elif postgres:
            conditions.append("h.tags @> jsonb_build_array(%(f_tag)s::text)")
        else:
            conditions.append(
                "EXISTS (SELECT 1 FROM json_each(h.tags) t WHERE t.value = %(f_tag)s)"
            )
    where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
    # Names in byte order on both backends, whatever PostgreSQL's collation.
    collate = ' COLLATE "C"' if postgres else ""
    order = ", ".join(
        expr + (collate if name.endswith("_name") else "") for name, expr in ORDER_KEY
    )
    nulls = ", ".join(["NULL"] * len(ORDER_KEY))
    hits = _postgres_hits(one_word) if postgres else _sqlite_hits(one_word)
    statement = f"""{hits}
SELECT 'hit', NULL, NULL, NULL, NULL, NULL, NULL, {", ".join(n for n, _ in ORDER_KEY)} FROM (
    SELECT {", ".join(f"{expr} AS {name}" for name, expr in ORDER_KEY)}
    FROM (SELECT h.*, {TIER} AS tier FROM hits h {where}) h
    ORDER BY {order} LIMIT %(limit)s OFFSET %(offset)s
) page
UNION ALL
SELECT 'combo', type, package, access, owner, tags, count(*), {nulls}
FROM hits GROUP BY type, package, access, owner, tags"""
    return statement, params


def _type_rank(column: str) -> str:
    whens = " ".join(f"WHEN '{t}' THEN {i}" for i, t in enumerate(TYPE_ORDER))
    return f"CASE {column} {whens} ELSE {len(TYPE_ORDER)} END"


def _flag(condition: str) -> str:
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


def _sqlite_hits(one_word: bool) -> str:
    """The matches on SQLite: FTS5 tables first (CROSS JOIN pins that order), then rows."""

    def ids(table: str, expression: str) -> str:
        return f"SELECT rowid FROM {table} WHERE {table} MATCH %({expression})s"

    def flags(alias: str, table: str, fields: Sequence[str]) -> str:
        """exact, in_name, starts, name_any, description_any, tags_any of a row."""
        name = f"{alias}.name"
        found = [
            "NULL"
            if field == "name" and one_word
            else _flag(f"{alias}.id IN ({ids(table, field + '_any')})")
            if field in fields
            else "0"
            for field in WEIGHTS
        ]
        # LIKE: case-insensitive as lower() is on SQLite (ASCII), and much cheaper.
        return ", ".join(
            [
                _flag(f"{name} LIKE %(exact_like)s ESCAPE '\\'"),
                _flag(f"{alias}.id IN ({ids(table, 'name_match')})"),
                _flag(f"{name} LIKE %(prefix_like)s ESCAPE '\\'"),
                *found,
                f"length({name})",
            ]
        )

    owner = "coalesce(nullif(n.owner_email, ''), n.owner_name)"
    node = f"""n.resource_type, {_type_rank("n.resource_type")}, n.name, n.name,
        n.package_name, n.access, {owner}, n.tags,
        {_flag("n.resource_type = 'macro' AND n.package_name NOT IN (SELECT name FROM own)")}"""
    return f"""
WITH
own AS (SELECT name FROM catalog_project WHERE environment_id = %(env)s),
node_code AS (
    {ids("catalog_node_code_fts", "match")}
    EXCEPT {ids("catalog_node_fts", "text_or_excluded")}
),
hits ({HITS_COLUMNS}) AS MATERIALIZED (
    SELECT 0, n.id, n.id, 0, {flags("n", "catalog_node_fts", tuple(WEIGHTS))}, {node}
    FROM ({ids("catalog_node_fts", "match")}) t CROSS JOIN catalog_node n ON n.id = t.rowid
    WHERE n.environment_id = %(env)s
    UNION ALL
    SELECT 0, n.id, n.id, 1, 0, 0, 0, 0, 0, 0, length(n.name), {node}
    FROM node_code t CROSS JOIN catalog_node n ON n.id = t.rowid
    WHERE n.environment_id = %(env)s
    UNION ALL
    SELECT 1, c.id, c.node_id, 0, {flags("c", "catalog_column_fts", ("name", "description"))},
        'column', {TYPE_ORDER.index("column")}, c.name, n.name,
        n.package_name, n.access, {owner}, n.tags, 0
    FROM ({ids("catalog_column_fts", "match")}) t
    CROSS JOIN catalog_column c ON c.id = t.rowid
    CROSS JOIN catalog_node n ON n.id = c.node_id
    WHERE n.environment_id = %(env)s
)"""


def _postgres_hits(one_word: bool) -> str:
    """The matches on PostgreSQL: the document table (see the migration) holds all they need."""

    def matches(expression: str, column: str = "d.document") -> str:
        return f"{column} @@ to_tsquery('simple', %({expression})s)"

    found = ", ".join(
        "NULL" if field == "name" and one_word else _flag(matches(field + "_any"))
        for field in WEIGHTS
    )
    flags = f"""{_flag("d.lname = %(exact)s")}, {_flag(matches("name_match"))},
        {_flag("d.lname LIKE %(prefix_like)s")}, {found}, length(d.name)"""
    columns = f"""d.type, {_type_rank("d.type")}, d.name, d.node_name, d.package, d.access,
        d.owner, d.tags,
        {_flag("d.type = 'macro' AND d.package NOT IN (SELECT name FROM own)")}"""
    return f"""
WITH
own AS (SELECT name FROM catalog_project WHERE environment_id = %(env)s),
hits ({HITS_COLUMNS}) AS MATERIALIZED (
    SELECT d.kind, d.ref_id, d.node_id, 0, {flags}, {columns}
    FROM catalog_search_document d
    WHERE d.environment_id = %(env)s AND {matches("match")}
    UNION ALL
    SELECT 0, d.ref_id, d.node_id, 1, 0, 0, 0, 0, 0, 0, length(d.name), {columns}
    FROM catalog_search_code s
    -- OFFSET 0: look each node up by its key; a merge join read all node documents.
    CROSS JOIN LATERAL (
        SELECT * FROM catalog_search_document d WHERE d.kind = 0 AND d.ref_id = s.node_id
        OFFSET 0
    ) d
    WHERE s.environment_id = %(env)s AND {matches("match", "s.code")}
    AND NOT {matches("text_or_excluded")}
)"""


# --------------------------------------------------------------------------------------------
# The page: hits with their snippets


def _hits(query: SearchQuery, keys: list[tuple[Any, ...]]) -> list[Hit]:
    """The page's hits, in the order of `keys` (rows of ORDER_KEY), with two queries."""
    at = {name: i for i, (name, _) in enumerate(ORDER_KEY)}
    column_ids = [k[at["id"]] for k in keys if k[at["kind"]] == 1]
    columns = (
        {
            c["id"]: c
            for c in Column.objects.filter(id__in=column_ids).values(
                "id", "node_id", "name", "description"
            )
        }
        if column_ids
        else {}
    )
    node_ids = {k[at["id"]] for k in keys if k[at["kind"]] == 0}
    node_ids |= {c["node_id"] for c in columns.values()}
    fields = ["id", "unique_id", "name", "resource_type", "package_name", "description", "tags"]
    if any(k[at["tier"]] == 3 for k in keys):
        fields.append("raw_code")
    nodes = (
        {n["id"]: n for n in Node.objects.filter(id__in=node_ids).values(*fields)}
        if node_ids
        else {}
    )

    marker = Marker(query)
    hits: list[Hit] = []
    for key in keys:
        tier, kind, pk = key[at["tier"]], key[at["kind"]], key[at["id"]]
        column = columns.get(pk) if kind == 1 else None
        node = nodes.get(column["node_id"] if column else pk)
        if node is None or (kind == 1 and column is None):
            continue  # deleted since the first query (a load committed in between)
        if column is not None:
            matched, snippet = marker.column_match(tier, column["name"], column["description"])
        else:
            matched, snippet = marker.node_match(tier, node)
        hits.append(
            Hit(
                kind="column" if column else "node",
                node_id=node["id"],
                unique_id=node["unique_id"],
                name=node["name"],
                resource_type=node["resource_type"],
                package_name=node["package_name"],
                column_name=column["name"] if column else "",
                description=column["description"] if column else node["description"],
                matched=matched,
                tier=tier,
                snippet=snippet,
            )
        )
    return hits


class Marker:
    """Finds the query's words in a text and cuts a marked-up snippet around them."""

    def __init__(self, query: SearchQuery, length: int = SNIPPET_LENGTH) -> None:
        positive, _ = _parts(query)
        # Each word or phrase as the index matched it: its words in order, whatever is between
        # them, the last one as a prefix of a word or whole. A word starts where no letter or
        # digit precedes: "cust" marks "customer_id" whole, not the "cust" inside "decust".
        alternatives = [
            r"[\W_]+".join(map(re.escape, tokens)) + (r"[^\W_]*" if prefix else r"(?![^\W_])")
            for tokens, prefix in sorted(positive, key=lambda p: -sum(map(len, p[0])))
        ]
        self.pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + ")", re.IGNORECASE)
        self.length = length

    def finds(self, text: str) -> bool:
        return bool(text) and self.pattern.search(text) is not None

    def node_match(self, tier: int, node: Mapping[str, Any]) -> tuple[str, SafeString]:
        # Descriptions are markdown: the snippet shows what a reader sees, not the markup.
        description = markdown_text(node["description"])
        tags = ", ".join(str(t) for t in node["tags"]) if isinstance(node["tags"], list) else ""
        if tier == 3:
            return "code", self.snippet(node.get("raw_code") or "")
        if self.finds(description):
            return ("name" if tier < 2 else "description"), self.snippet(description)
        if tier < 2 or not self.finds(tags):
            return "name", self.snippet(node["name"])
        return "tags", self.snippet(tags)

    def column_match(self, tier: int, name: str, description: str) -> tuple[str, SafeString]:
        description = markdown_text(description)
        if self.finds(description):
            return ("column" if tier < 2 else "description"), self.snippet(description)
        return "column", self.snippet(name)

    def snippet(self, text: str) -> SafeString:
        """≈`length` characters of `text` from a little before its first match, escaped."""
        text = " ".join(text.split())
        first = self.pattern.search(text)
        start = 0
        if first is not None and first.end() > self.length - 20:
            start = max(0, first.start() - 40)
            space = text.find(" ", start, first.start())
            start = space + 1 if space >= 0 else start
        end = min(len(text), start + self.length)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start + self.length // 2 else end
        out = ["…"] if start > 0 else []
        at = start
        for match in self.pattern.finditer(text, start, end):
            out += [escape(text[at : match.start()]), "<mark>", escape(match.group()), "</mark>"]
            at = match.end()
        out.append(escape(text[at:end]))
        if end < len(text):
            out.append("…")
        return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above


# --------------------------------------------------------------------------------------------
# As you type


def suggest(*, environment: Environment, q: str, limit: int = 8) -> list[Suggestion]:
    """Names that equal or start with `q` (case-insensitive): exact ones first, nodes before
    columns in each group, then alphabetically (byte order).

    A column name held by many tables is suggested once (for the table loaded first): its
    page lists the others. Other packages' macros are suggested only when named exactly.
    Two queries, each a range scan of an index on lower(name) that stops at `limit` names.
    """
    prefix = " ".join(q.replace("\x00", " ").split()).lower()[:MAX_QUERY_LENGTH]
    if not prefix or limit < 1:
        return []
    params: dict[str, Any] = {
        "env": environment.pk,
        "q": prefix,
        # Every string that starts with the prefix sorts between these two (byte order).
        "lo": prefix,
        "hi": prefix + "\U0010ffff",
        "limit": limit,
    }
    nodes_sql, columns_sql = (
        _suggest_postgres() if connection.vendor == "postgresql" else _suggest_sqlite()
    )
    with connection.cursor() as cursor:
        cursor.execute(nodes_sql, params)
        nodes = cursor.fetchall()
        cursor.execute(columns_sql, params)
        columns = cursor.fetchall()
    found = [
        (lname != prefix, 0, lname, Suggestion("node", uid, name, rtype, ""))
        for lname, uid, name, rtype in nodes
    ] + [
        (lname != prefix, 1, lname, Suggestion("column", uid, name, rtype, column))
        for lname, uid, name, rtype, column in columns
    ]
    found.sort(key=lambda item: item[:3])
    return [item[3] for item in found[:limit]]


# Other packages' macros, unless named exactly.
_NOT_OTHER_MACRO = """({type} <> 'macro' OR {lname} = %(q)s OR {package} IN (
    SELECT name FROM catalog_project WHERE environment_id = %(env)s))"""


def _suggest_sqlite() -> tuple[str, str]:
    not_other_macro = _NOT_OTHER_MACRO.format(
        type="resource_type", lname="lower(name)", package="package_name"
    )
    nodes = f"""
        SELECT lower(name), unique_id, name, resource_type FROM catalog_node
        WHERE environment_id = %(env)s AND lower(name) >= %(lo)s AND lower(name) < %(hi)s
        AND {not_other_macro}
        ORDER BY lower(name), {_type_rank("resource_type")}, unique_id LIMIT %(limit)s"""
    # CROSS JOIN: walk the lower(name) index of columns, not every node of the environment.
    columns = """
        SELECT picked.lname, n.unique_id, n.name, n.resource_type, c.name FROM (
            SELECT lower(c.name) AS lname, min(c.id) AS id
            FROM catalog_column c CROSS JOIN catalog_node n ON n.id = c.node_id
            WHERE lower(c.name) >= %(lo)s AND lower(c.name) < %(hi)s
            AND n.environment_id = %(env)s
            GROUP BY lower(c.name) ORDER BY lower(c.name) LIMIT %(limit)s
        ) picked
        CROSS JOIN catalog_column c ON c.id = picked.id
        CROSS JOIN catalog_node n ON n.id = c.node_id"""
    return nodes, columns


def _suggest_postgres() -> tuple[str, str]:
    lname = 'd.lname COLLATE "C"'
    nodes = f"""
        SELECT {lname}, n.unique_id, n.name, n.resource_type
        FROM catalog_search_document d JOIN catalog_node n ON n.id = d.ref_id
        WHERE d.environment_id = %(env)s AND d.kind = 0
        AND {lname} >= %(lo)s AND {lname} < %(hi)s
        AND {_NOT_OTHER_MACRO.format(type="d.type", lname="d.lname", package="d.package")}
        ORDER BY {lname}, {_type_rank("d.type")}, n.unique_id LIMIT %(limit)s"""
    columns = f"""
        SELECT picked.lname, n.unique_id, n.name, n.resource_type, c.name FROM (
            SELECT {lname} AS lname, min(d.ref_id) AS id FROM catalog_search_document d
            WHERE d.environment_id = %(env)s AND d.kind = 1
            AND {lname} >= %(lo)s AND {lname} < %(hi)s
            GROUP BY {lname} ORDER BY {lname} LIMIT %(limit)s
        ) picked
        JOIN catalog_column c ON c.id = picked.id JOIN catalog_node n ON n.id = c.node_id"""
    return nodes, columns

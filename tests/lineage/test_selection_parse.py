"""Parsing selection strings: what each piece means, and what is refused, with a pointer."""

from __future__ import annotations

import pytest

from lineage.selection import (
    Criteria,
    Difference,
    Intersection,
    InvalidSelector,
    Method,
    Union,
    parse,
)

FQN, TAG, PATH, FILE, CONFIG = Method.FQN, Method.TAG, Method.PATH, Method.FILE, Method.CONFIG


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a", Criteria(FQN, "a")),
        ("fqn:a", Criteria(FQN, "a")),
        ("+a", Criteria(FQN, "a", parents=True)),
        ("a+", Criteria(FQN, "a", children=True)),
        ("+a+", Criteria(FQN, "a", parents=True, children=True)),
        (
            "2+tag:finance+1",
            Criteria(
                TAG, "finance", parents=True, parents_depth=2, children=True, children_depth=1
            ),
        ),  # noqa: E501
        (
            "16+a+32",
            Criteria(FQN, "a", parents=True, parents_depth=16, children=True, children_depth=32),
        ),  # noqa: E501
        ("0+a", Criteria(FQN, "a", parents=True, parents_depth=0)),
        ("@a", Criteria(FQN, "a", childrens_parents=True)),
        ("@+a", Criteria(FQN, "a", childrens_parents=True, parents=True)),
        ("@3+a", Criteria(FQN, "a", childrens_parents=True, parents=True, parents_depth=3)),
        ("tag:nightly+", Criteria(TAG, "nightly", children=True)),
        ("tag:fin*", Criteria(TAG, "fin*")),
        ("config.materialized:table", Criteria(CONFIG, "table", ("materialized",))),
        ("config.meta.owner:alice", Criteria(CONFIG, "alice", ("meta", "owner"))),
        (
            "source:stripe.payments+1",
            Criteria(Method.SOURCE, "stripe.payments", children=True, children_depth=1),
        ),  # noqa: E501
        ("source:pkg.stripe.*", Criteria(Method.SOURCE, "pkg.stripe.*")),
        ("exposure:pkg.dash", Criteria(Method.EXPOSURE, "pkg.dash")),
        ("version:latest", Criteria(Method.VERSION, "latest")),
        ("test_type:data", Criteria(Method.TEST_TYPE, "data")),
        ("resource_type:saved_query", Criteria(Method.RESOURCE_TYPE, "saved_query")),
        ("access:public", Criteria(Method.ACCESS, "public")),
        ("path:models/**/_*.yml", Criteria(PATH, "models/**/_*.yml")),
        ("path:C:x", Criteria(PATH, "C:x")),  # the first colon ends the method
        # dbt's default method: a path with a "/", a file for .sql/.py/.csv, else an fqn
        ("models/staging", Criteria(PATH, "models/staging")),
        ("models/staging/", Criteria(PATH, "models/staging/")),
        ("+models/staging+", Criteria(PATH, "models/staging", parents=True, children=True)),
        ("orders.sql", Criteria(FILE, "orders.sql")),
        ("ORDERS.SQL", Criteria(FILE, "ORDERS.SQL")),
        ("score.py", Criteria(FILE, "score.py")),
        ("zones.csv", Criteria(FILE, "zones.csv")),
        ("marts.finance", Criteria(FQN, "marts.finance")),
        ("orders.yml", Criteria(FQN, "orders.yml")),
        ("a+b", Criteria(FQN, "a+b")),  # as dbt: '+' inside a value is part of it
        ("1+2", Criteria(FQN, "2", parents=True, parents_depth=1)),
    ],
)
def test_it_parses_a_criterion(text: str, expected: Criteria) -> None:
    assert parse(text) == expected


def test_a_criterion_remembers_where_it_was() -> None:
    spec = parse("tag:a  +b,c")
    assert isinstance(spec, Union)
    second = spec.parts[1]
    assert isinstance(second, Intersection)
    assert [(c.raw, c.position) for c in second.parts if isinstance(c, Criteria)] == [
        ("+b", 7),
        ("c", 10),
    ]


@pytest.mark.parametrize(
    ("select", "exclude", "expected"),
    [
        ("a b", "", Union((Criteria(FQN, "a"), Criteria(FQN, "b")))),
        ("a,b", "", Intersection((Criteria(FQN, "a"), Criteria(FQN, "b")))),
        (
            "a,tag:x b",
            "",
            Union((Intersection((Criteria(FQN, "a"), Criteria(TAG, "x"))), Criteria(FQN, "b"))),
        ),
        ("  a \t b\n", "", Union((Criteria(FQN, "a"), Criteria(FQN, "b")))),
        ("a", "b", Difference(Criteria(FQN, "a"), Criteria(FQN, "b"))),
        (
            "a",
            "b tag:c",
            Difference(Criteria(FQN, "a"), Union((Criteria(FQN, "b"), Criteria(TAG, "c")))),
        ),
        ("a", "  ", Criteria(FQN, "a")),
    ],
)
def test_it_parses_unions_intersections_and_excludes(
    select: str, exclude: str, expected: object
) -> None:
    assert parse(select, exclude) == expected


@pytest.mark.parametrize("select", ["", "   "])
def test_an_empty_selection_means_dbts_default_includes(select: str) -> None:
    assert parse(select) == Union(
        (
            Criteria(FQN, "*"),
            Criteria(Method.SOURCE, "*"),
            Criteria(Method.EXPOSURE, "*"),
            Criteria(Method.METRIC, "*"),
            Criteria(Method.SEMANTIC_MODEL, "*"),
        )
    )


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ("@a+", 2, "'@' and a trailing '+' cannot be combined"),
        ("@tag:x+2", 6, "'@' and a trailing '+' cannot be combined"),
        ("tag:", 4, "tag: needs a value after the colon, e.g. tag:nightly"),
        ("config.materialized:", 20, "needs a value after the colon, e.g. config.materialized:"),
        ("unknown_method:x", 0, "unknown method 'unknown_method'"),
        ("tagg:x", 0, "did you mean tag:?"),
        ("Tag:x", 0, "unknown method 'Tag'"),
        ("2+", 2, "'2+' names nothing to select"),
        ("+", 1, "'+' names nothing to select"),
        ("@", 1, "'@' names nothing to select"),
        ("++a", 1, "one '+' at a time"),
        ("a++", 1, "one '+' at a time"),
        ("+@a", 1, "'@' may only start a selector"),
        ("@@a", 1, "'@' may only start a selector"),
        ("a,", 2, "an empty selector around ','"),
        (",a", 0, "an empty selector around ','"),
        ("a,,b", 2, "an empty selector around ','"),
        (",", 0, "nothing around ','"),
        ("config:table", 0, "config needs a key"),
        ("config.:table", 0, "config needs a key"),
        ("tag.x:y", 3, "only config takes a key"),
        ("version:newest", 8, "version: is one of latest, prerelease, old, none"),
        ("test_type:integration", 10, "test_type: is one of generic, singular, unit"),
        ("resource_type:models", 14, "resource_type: is one of model, analysis"),
        ("access:open", 7, "access: is one of private, protected, public"),
        ("source:a.b.c.d", 7, "source: takes source_name, source_name.table or package"),
        ("exposure:a.b.c", 9, "exposure: takes exposure_name or package.exposure_name"),
        ("metric:a.b.c", 7, "metric: takes metric_name or package.metric_name"),
        ("path:/etc", 5, "path: is relative to the project folder"),
        ("path:../x", 5, "path: cannot leave the project folder"),
        ("path:models/a**", 5, "'**' must be a whole path segment"),
        ("path:.", 5, "path: needs a file or folder"),
        ("state:modified", 0, "state: compares with a previous manifest"),
        ("result:error+", 0, "which Lantern does not support"),
        ("a tag: b", 6, "tag: needs a value"),
        ("fct_orders +dim_x,tag:", 22, "tag: needs a value"),
    ],
)
def test_it_refuses_an_invalid_selector_and_points_at_the_problem(
    text: str, position: int, message: str
) -> None:
    with pytest.raises(InvalidSelector) as caught:
        parse(text)

    error = caught.value
    assert message in error.message
    assert error.position == position
    assert error.selector == text
    assert error.field == "select"


def test_the_message_shows_the_selector_with_a_caret_under_the_problem() -> None:
    with pytest.raises(InvalidSelector) as caught:
        parse("+fct_orders tag:")

    lines = str(caught.value).splitlines()
    assert lines[0].startswith("tag: needs a value")
    assert lines[1] == "  +fct_orders tag:"
    assert lines[2] == "  " + " " * 16 + "^"
    assert caught.value.pointer == "+fct_orders tag:\n" + " " * 16 + "^"


def test_an_unknown_method_lists_the_methods_there_are() -> None:
    with pytest.raises(InvalidSelector) as caught:
        parse("owner:alice")
    for method in Method:
        assert method.value in caught.value.message


def test_it_says_when_the_problem_is_in_the_exclude() -> None:
    with pytest.raises(InvalidSelector) as caught:
        parse("+fct_orders", "@a+")

    assert caught.value.field == "exclude"
    assert caught.value.selector == "@a+"
    assert "(in exclude)" in str(caught.value)

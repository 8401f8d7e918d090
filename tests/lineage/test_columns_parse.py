"""lineage.columns.parse: one construct, status or dialect per test."""

from __future__ import annotations

from lineage.columns.parse import (
    ColumnLineage,
    ParseInput,
    ParseResult,
    Relation,
    parse_node,
    relation_key,
    snapshot_config,
)

ORDERS = ("order_id", "customer_id", "amount", "status", "ordered_at")
CUSTOMERS = ("customer_id", "name", "email")


def _run(
    sql: str,
    dialect: str = "duckdb",
    relations: dict[str, tuple[str, tuple[str, ...]] | tuple[str, tuple[str, ...], bool]]
    | None = None,
    ctes: dict[str, tuple[str, tuple[str, ...]]] | None = None,
    output: tuple[str, ...] = (),
    language: str = "sql",
    uid: str = "model.p.child",
    config: dict | None = None,
) -> ParseResult:
    if relations is None:
        relations = {
            '"db"."main"."orders"': ("model.p.orders", ORDERS),
            '"db"."main"."customers"': ("source.p.crm.customers", CUSTOMERS),
        }
    return parse_node(
        ParseInput(
            unique_id=uid,
            language=language,
            compiled_code=sql,
            dialect=dialect,
            relations={relation_key(k, dialect): Relation(*v) for k, v in relations.items()},
            ctes={k: Relation(*v) for k, v in (ctes or {}).items()},
            output_columns=output,
            snapshot=snapshot_config(config) if config is not None else None,
        )
    )


def _cols(result: ParseResult) -> dict[str, ColumnLineage]:
    return {c.column: c for c in result.columns}


def _edges(result: ParseResult) -> dict[str, tuple[str, list[str]]]:
    return {
        c.column: (c.kind or "error:" + c.error_category, [f"{u}.{col}" for u, col in c.upstream])
        for c in result.columns
    }


ORD = "model.p.orders"
CUS = "source.p.crm.customers"


def test_it_tells_passthrough_rename_transformed_and_aggregated_apart() -> None:
    r = _run(
        """
        select order_id, customer_id as buyer_id, amount * 2 as doubled,
               sum(amount) over () as running, 'x' as literal
        from "db"."main"."orders"
        """
    )
    assert r.status == "parsed"
    assert r.category == ""
    assert r.reason == ""
    assert _edges(r) == {
        "order_id": ("passthrough", [f"{ORD}.order_id"]),
        "buyer_id": ("rename", [f"{ORD}.customer_id"]),
        "doubled": ("transformed", [f"{ORD}.amount"]),
        "running": ("aggregated", [f"{ORD}.amount"]),
        "literal": ("transformed", []),
    }


def test_it_follows_ctes_and_keeps_the_strongest_kind() -> None:
    r = _run(
        """
        with base as (select order_id as id, amount from "db"."main"."orders"),
        totals as (select id, sum(amount) as total from base group by id)
        select id as order_id, total, id from totals
        """
    )
    e = _edges(r)
    # order_id -> id -> order_id: renamed twice, back to its own name
    assert e["order_id"] == ("passthrough", [f"{ORD}.order_id"])
    assert e["id"] == ("rename", [f"{ORD}.order_id"])
    assert e["total"] == ("aggregated", [f"{ORD}.amount"])


def test_join_keys_filters_and_group_by_are_not_upstream() -> None:
    r = _run(
        """
        select c.name, count(*) as orders
        from "db"."main"."orders" as o
        join "db"."main"."customers" as c on o.customer_id = c.customer_id
        where o.status = 'paid'
        group by c.name
        having sum(o.amount) > 10
        """
    )
    assert _edges(r) == {"name": ("passthrough", [f"{CUS}.name"]), "orders": ("aggregated", [])}


def test_unqualified_columns_are_qualified_with_the_known_schemas() -> None:
    r = _run(
        """
        select order_id, name, email
        from "db"."main"."orders" o join "db"."main"."customers" c using (customer_id)
        """
    )
    assert _edges(r) == {
        "order_id": ("passthrough", [f"{ORD}.order_id"]),
        "name": ("passthrough", [f"{CUS}.name"]),
        "email": ("passthrough", [f"{CUS}.email"]),
    }


def test_an_ambiguous_column_is_an_error_not_a_guess() -> None:
    r = _run(
        """
        select customer_id, name
        from "db"."main"."orders" o join "db"."main"."customers" c on o.customer_id = c.customer_id
        """
    )
    cols = _cols(r)
    assert r.status == "partial"
    assert "ambiguous" in cols["customer_id"].error
    assert cols["customer_id"].upstream == ()
    assert cols["name"].kind == "passthrough"


def test_case_conditions_count_and_window_partitions_do_not() -> None:
    r = _run(
        """
        select
            case when status = 'paid' then amount else 0 end as paid_amount,
            row_number() over (partition by customer_id order by ordered_at) as seq,
            lag(amount) over (partition by customer_id order by ordered_at) as previous_amount,
            count(*) filter (where status = 'refunded') as refunds
        from "db"."main"."orders"
        """
    )
    assert _edges(r) == {
        "paid_amount": ("transformed", [f"{ORD}.amount", f"{ORD}.status"]),
        "seq": ("transformed", []),
        "previous_amount": ("transformed", [f"{ORD}.amount"]),
        "refunds": ("aggregated", [f"{ORD}.status"]),
    }


def test_subqueries_in_from_and_in_the_select_list() -> None:
    r = _run(
        """
        select s.order_id,
               (select max(c.name) from "db"."main"."customers" c
                where c.customer_id = s.customer_id) as customer_name,
               exists (select 1 from "db"."main"."customers" c2
                       where c2.customer_id = s.customer_id and c2.email is null) as no_email
        from (select order_id, customer_id from "db"."main"."orders") as s
        """
    )
    assert _edges(r) == {
        "order_id": ("passthrough", [f"{ORD}.order_id"]),
        "customer_name": ("aggregated", [f"{CUS}.name"]),
        "no_email": ("transformed", [f"{ORD}.customer_id", f"{CUS}.customer_id", f"{CUS}.email"]),
    }


def test_subqueries_in_the_select_list_see_the_queries_ctes() -> None:
    rels = {"db.s.t": (T, ("id", "a")), "db.s.u": (U, ("id", "c"))}
    r = _run(
        """
        with x as (select id, a from db.s.t)
        select (select max(a) from x) as m,
               exists (select 1 from x where x.id = u.id) as e, c
        from db.s.u as u
        """,
        relations=rels,
    )
    assert r.status == "parsed"
    assert _edges(r) == {
        "m": ("aggregated", [f"{T}.a"]),
        "e": ("transformed", [f"{T}.id", f"{U}.id"]),
        "c": ("passthrough", [f"{U}.c"]),
    }


def test_star_is_expanded_with_exclude_and_replace() -> None:
    r = _run(
        """
        with o as (select * exclude (status) replace (amount / 100 as amount)
                   from "db"."main"."orders")
        select o.*, c.* exclude (customer_id)
        from o join "db"."main"."customers" c on o.customer_id = c.customer_id
        """
    )
    assert list(_edges(r)) == [*[c for c in ORDERS if c != "status"], "name", "email"]
    assert _edges(r)["amount"] == ("transformed", [f"{ORD}.amount"])
    assert _edges(r)["ordered_at"] == ("passthrough", [f"{ORD}.ordered_at"])


def test_bigquery_except_and_backticks() -> None:
    relations = {"`proj.analytics.orders`": (ORD, ORDERS)}
    r = _run(
        "select * except (status, ordered_at) from `proj.analytics.orders`",
        dialect="bigquery",
        relations=relations,
    )
    assert list(_edges(r)) == ["order_id", "customer_id", "amount"]
    r = _run(
        "select o.amount from `proj`.`analytics`.`orders` as o",
        dialect="bigquery",
        relations=relations,
    )
    assert _edges(r) == {"amount": ("passthrough", [f"{ORD}.amount"])}


def test_union_takes_column_i_from_every_branch() -> None:
    r = _run(
        """
        select order_id as id, amount from "db"."main"."orders"
        union all
        select customer_id, 0 from "db"."main"."customers"
        union
        select customer_id, length(name) from "db"."main"."customers"
        """
    )
    assert _edges(r) == {
        "id": ("rename", [f"{ORD}.order_id", f"{CUS}.customer_id"]),
        "amount": ("transformed", [f"{ORD}.amount", f"{CUS}.name"]),
    }


def test_ephemeral_ctes_are_relations_and_edges_stop_there() -> None:
    eph = "model.p.int_orders"
    r = _run(
        """
        with __dbt__cte__int_orders as (
            select order_id, amount * 2 as amount2 from "db"."main"."orders"
        )
        select order_id, amount2 from __dbt__cte__int_orders
        """,
        ctes={"__dbt__cte__int_orders": (eph, ())},
    )
    # The ephemeral model has no catalog entry: its columns come from the inlined SQL.
    assert _edges(r) == {
        "order_id": ("passthrough", [f"{eph}.order_id"]),
        "amount2": ("passthrough", [f"{eph}.amount2"]),
    }


def test_an_ephemeral_reading_its_own_parents_with_a_star_has_its_known_columns() -> None:
    # The inlined body reads the ephemeral model's parents, which are not this node's: its
    # star is opaque here, so the ephemeral model's known columns stand for it.
    eph = "model.p.int_orders"
    sql = """
        with __dbt__cte__int_orders as (
            select * from "db"."main"."raw_orders"
        )
        select * from __dbt__cte__int_orders
        """
    r = _run(sql, ctes={"__dbt__cte__int_orders": (eph, ("order_id", "amount"))})
    assert r.status == "parsed"
    assert _edges(r) == {
        "order_id": ("passthrough", [f"{eph}.order_id"]),
        "amount": ("passthrough", [f"{eph}.amount"]),
    }
    # Without known columns the star is not guessed.
    unknown = _run(sql, ctes={"__dbt__cte__int_orders": (eph, ())})
    assert (unknown.status, unknown.category) == ("failed", "unknown_columns")
    # A name the body makes that the known columns have in another case is the same column.
    snowflake = _run(
        """
        with __dbt__cte__int_orders as (select order_id from db.main.raw_orders)
        select * from __dbt__cte__int_orders
        """,
        dialect="snowflake",
        ctes={"__dbt__cte__int_orders": (eph, ("order_id",))},
    )
    assert _edges(snowflake) == {"order_id": ("passthrough", [f"{eph}.order_id"])}


def test_snowflake_folds_unquoted_names_to_upper_case() -> None:
    relations = {'"DB"."RAW"."ORDERS"': (ORD, ("ORDER_ID", "AMOUNT", "Mixed"))}
    r = _run(
        'select order_id, Amount as total, "Mixed" as m from db.raw.orders',
        dialect="snowflake",
        relations=relations,
        output=("ORDER_ID", "TOTAL", "M"),
    )
    assert r.status == "parsed"
    assert _edges(r) == {
        "ORDER_ID": ("passthrough", [f"{ORD}.ORDER_ID"]),
        "TOTAL": ("rename", [f"{ORD}.AMOUNT"]),
        "M": ("rename", [f"{ORD}.Mixed"]),
    }
    assert relation_key('"DB"."RAW"."ORDERS"', "snowflake") == relation_key(
        "db.raw.orders", "snowflake"
    )
    # A quoted lower-case name is another table in Snowflake.
    assert relation_key('"db"."raw"."orders"', "snowflake") != relation_key(
        "db.raw.orders", "snowflake"
    )


def test_snowflake_declared_lower_case_names_are_found_through_a_star_cte() -> None:
    # Lantern keeps a column's declared spelling (lower-case YAML) even when the catalog has
    # it upper-case; `select *` in a CTE passes those spellings on, and the outer query's
    # unquoted names fold to upper case. Seen on a real Snowflake project.
    relations = {"db.raw.orders": (ORD, ("order_id", "amount"))}
    r = _run(
        """
        with o as (select * from db.raw.orders)
        select o.order_id, amount as total from o
        """,
        dialect="snowflake",
        relations=relations,
        output=("ORDER_ID", "TOTAL"),
    )
    assert r.status == "parsed"
    assert _edges(r) == {
        "ORDER_ID": ("passthrough", [f"{ORD}.order_id"]),
        "TOTAL": ("rename", [f"{ORD}.amount"]),
    }


def test_snowflake_exclude_and_replace_meet_declared_lower_case_names() -> None:
    # An excluded column left in would be a column the model does not make, shown as traced.
    relations = {"db.raw.orders": (ORD, ("order_id", "amount", "status"))}
    r = _run(
        "select * exclude (status) replace (amount * 2 as amount) from db.raw.orders",
        dialect="snowflake",
        relations=relations,
    )
    assert _edges(r) == {
        "order_id": ("passthrough", [f"{ORD}.order_id"]),
        "amount": ("transformed", [f"{ORD}.amount"]),
    }


def test_a_cte_column_differing_only_in_case_from_another_is_not_guessed() -> None:
    relations = {'"DB"."RAW"."ORDERS"': (ORD, ("Amount", "AMOUNT"))}
    r = _run(
        'with o as (select "Amount", "AMOUNT" from db.raw.orders) select "amount" from o',
        dialect="snowflake",
        relations=relations,
    )
    assert r.status == "failed"
    assert r.category == "unknown_columns"


def test_snowflake_quoted_name_that_does_not_exist_is_an_error() -> None:
    relations = {'"DB"."RAW"."ORDERS"': (ORD, ("ORDER_ID",))}
    r = _run('select "order_id_x" from db.raw.orders', dialect="snowflake", relations=relations)
    assert r.status == "failed"
    assert r.category == "unknown_columns"


def test_postgres_folds_to_lower_case_and_keeps_quoted_case() -> None:
    relations = {'"db"."public"."orders"': (ORD, ("order_id", "Amount"))}
    r = _run(
        'select ORDER_ID, "Amount" from public.orders', dialect="postgres", relations=relations
    )
    assert _edges(r) == {
        "order_id": ("passthrough", [f"{ORD}.order_id"]),
        "Amount": ("passthrough", [f"{ORD}.Amount"]),
    }


def test_duckdb_quoted_identifiers_are_case_insensitive() -> None:
    r = _run(
        'select "ORDER_ID" as "orderId", o."Amount" from "DB"."MAIN"."ORDERS" o',
        output=("orderId", "amount"),
    )
    assert _edges(r) == {
        "orderId": ("rename", [f"{ORD}.order_id"]),
        "amount": ("passthrough", [f"{ORD}.amount"]),
    }


def test_a_relation_without_database_matches_a_unique_parent() -> None:
    r = _run("select amount from main.orders")
    assert _edges(r) == {"amount": ("passthrough", [f"{ORD}.amount"])}


def test_an_unknown_relation_makes_its_columns_errors() -> None:
    r = _run(
        """
        select o.order_id, x.thing
        from "db"."main"."orders" o join "db"."other"."mystery" x on o.order_id = x.id
        """
    )
    assert r.status == "partial"
    assert r.category == "unknown_relation"
    cols = _cols(r)
    assert cols["order_id"].kind == "passthrough"
    assert cols["thing"].error_category == "unknown_relation"
    assert "db.other.mystery" in cols["thing"].error
    assert cols["thing"].upstream == ()
    r = _run('select * from "db"."other"."mystery"')
    assert r.status == "failed"
    assert r.category == "unknown_relation"


def test_an_unknown_relation_only_in_a_filter_does_not_matter() -> None:
    r = _run(
        """
        select order_id from "db"."main"."orders"
        where ordered_at > (select max(ordered_at) from "db"."main"."child")
        """
    )
    assert r.status == "parsed"


def test_star_over_unknown_columns_is_unknown_columns() -> None:
    relations = {'"db"."main"."orders"': (ORD, ())}
    r = _run('select * from "db"."main"."orders"', relations=relations)
    assert (r.status, r.category) == ("failed", "unknown_columns")
    assert r.columns == ()
    # ...but with the node's own columns known, a star over one relation is a passthrough of each.
    r = _run('select * from "db"."main"."orders"', relations=relations, output=("a", "b"))
    assert r.status == "parsed"
    assert _edges(r) == {"a": ("passthrough", [f"{ORD}.a"]), "b": ("passthrough", [f"{ORD}.b"])}


def test_output_columns_missing_from_the_select_list_are_errors() -> None:
    r = _run('select order_id from "db"."main"."orders"', output=("order_id", "extra"))
    assert r.status == "partial"
    assert r.category == "unknown_columns"
    assert _cols(r)["extra"].error == "not in the compiled SQL's select list"


def test_a_python_model_fails() -> None:
    r = _run("def model(dbt, session): ...", language="python", output=("a",))
    assert (r.status, r.category) == ("failed", "python_model")
    assert _cols(r)["a"].error_category == "python_model"


def test_missing_compiled_code_fails() -> None:
    r = _run("  ", output=("a",))
    assert (r.status, r.category) == ("failed", "missing_compiled_code")


def test_a_parse_error_fails_with_sqlglots_message() -> None:
    r = _run("select (a from where", output=("a",))
    assert (r.status, r.category) == ("failed", "parse_error")
    assert "sqlglot" in r.reason
    assert len(r.reason) > len("sqlglot could not parse the SQL: ")


def test_a_statement_that_is_not_a_query_is_unsupported() -> None:
    r = _run("create table x as select 1")
    # sqlglot reads CREATE ... AS SELECT as a Create: Lantern traces queries only.
    assert (r.status, r.category) == ("failed", "unsupported")


WIDE = "model.p.wide"


def test_pivot_groups_by_the_other_columns_and_aggregates_each_value() -> None:
    r = _run(
        """select * from "db"."main"."orders" pivot (sum(amount) for status in ('paid', 'open'))"""
    )
    assert r.status == "parsed"
    # Each value column is sum(amount) FILTER (WHERE status = ...): the FOR column counts, as
    # an aggregate's FILTER does.
    assert _edges(r) == {
        "order_id": ("passthrough", [f"{ORD}.order_id"]),
        "customer_id": ("passthrough", [f"{ORD}.customer_id"]),
        "ordered_at": ("passthrough", [f"{ORD}.ordered_at"]),
        "paid": ("aggregated", [f"{ORD}.amount", f"{ORD}.status"]),
        "open": ("aggregated", [f"{ORD}.amount", f"{ORD}.status"]),
    }


def test_duckdb_pivot_with_named_aggregates_over_a_subquery() -> None:
    r = _run(
        """
        select p.customer_id, p.paid_total, p.paid_n, open_total
        from (select customer_id, status, amount from "db"."main"."orders") as o
        pivot (sum(amount) as total, count(*) as n for status in ('paid', 'open')) as p
        """
    )
    assert _edges(r) == {
        "customer_id": ("passthrough", [f"{ORD}.customer_id"]),
        "paid_total": ("aggregated", [f"{ORD}.amount", f"{ORD}.status"]),
        "paid_n": ("aggregated", [f"{ORD}.status"]),
        "open_total": ("aggregated", [f"{ORD}.amount", f"{ORD}.status"]),
    }


def test_snowflake_pivot_names_columns_after_the_quoted_values() -> None:
    relations = {'"DB"."S"."ORDERS"': (ORD, ("ID", "STATUS", "AMOUNT"))}
    r = _run(
        "select * from db.s.orders pivot (sum(amount) for status in ('paid', 'open')) as p",
        dialect="snowflake",
        relations=relations,
        output=("ID", "'paid'", "'open'"),
    )
    assert r.status == "parsed"
    assert _edges(r) == {
        "ID": ("passthrough", [f"{ORD}.ID"]),
        "'paid'": ("aggregated", [f"{ORD}.AMOUNT", f"{ORD}.STATUS"]),
        "'open'": ("aggregated", [f"{ORD}.AMOUNT", f"{ORD}.STATUS"]),
    }
    r = _run(
        "select * from db.s.orders pivot (sum(amount) for status in ('paid', 'open'))"
        " as p (order_id, paid, open_amount)",
        dialect="snowflake",
        relations=relations,
    )
    assert _edges(r) == {
        "ORDER_ID": ("rename", [f"{ORD}.ID"]),
        "PAID": ("aggregated", [f"{ORD}.AMOUNT", f"{ORD}.STATUS"]),
        "OPEN_AMOUNT": ("aggregated", [f"{ORD}.AMOUNT", f"{ORD}.STATUS"]),
    }


def test_unpivot_is_the_union_it_stands_for() -> None:
    # = select id, note, 'q1' as quarter, q1 as amount from wide union all select ... q2 ...
    relations = {'"db"."main"."wide"': (WIDE, ("id", "q1", "q2", "note"))}
    r = _run(
        'select * from "db"."main"."wide" unpivot (amount for quarter in (q1, q2))',
        relations=relations,
    )
    assert r.status == "parsed"
    assert [c.column for c in r.columns] == ["id", "note", "quarter", "amount"]
    assert _edges(r) == {
        "id": ("passthrough", [f"{WIDE}.id"]),
        "note": ("passthrough", [f"{WIDE}.note"]),
        "quarter": ("transformed", []),  # the listed columns' names: literals
        "amount": ("rename", [f"{WIDE}.q1", f"{WIDE}.q2"]),
    }
    relations = {'"DB"."S"."WIDE"': (WIDE, ("ID", "Q1", "Q2"))}
    r = _run(
        "select u.id, u.quarter, u.amount * 2 as doubled "
        "from db.s.wide unpivot (amount for quarter in (q1 as 'first', q2 as 'second')) as u",
        dialect="snowflake",
        relations=relations,
    )
    assert _edges(r) == {
        "ID": ("passthrough", [f"{WIDE}.ID"]),
        "QUARTER": ("transformed", []),
        "DOUBLED": ("transformed", [f"{WIDE}.Q1", f"{WIDE}.Q2"]),
    }


def test_spark_and_databricks_pivot_and_unpivot() -> None:
    # Spark's ResolvePivot: one aggregate names each column after its value alone (its alias
    # is dropped); several make <value>_<alias>.
    relations = {"db.s.person": (ORD, ("id", "name", "age", "class"))}
    r = _run(
        "select * from db.s.person pivot (sum(age) as a for name in ('John', 'Mike' as mike))",
        dialect="spark",
        relations=relations,
    )
    assert _edges(r) == {
        "id": ("passthrough", [f"{ORD}.id"]),
        "class": ("passthrough", [f"{ORD}.class"]),
        "John": ("aggregated", [f"{ORD}.age", f"{ORD}.name"]),
        "mike": ("aggregated", [f"{ORD}.age", f"{ORD}.name"]),
    }
    r = _run(
        "select * from db.s.person pivot (sum(age) as a, avg(class) as c "
        "for name in ('John' as john))",
        dialect="databricks",
        relations=relations,
    )
    assert _edges(r) == {
        "id": ("passthrough", [f"{ORD}.id"]),
        "john_a": ("aggregated", [f"{ORD}.age", f"{ORD}.name"]),
        "john_c": ("aggregated", [f"{ORD}.class", f"{ORD}.name"]),
    }
    # Spark's UNPIVOT: the name column, then the value column.
    r = _run(
        "select * from db.s.wide unpivot (sales for quarter in (q1, q2))",
        dialect="databricks",
        relations={"db.s.wide": (WIDE, ("year", "q1", "q2"))},
    )
    assert [c.column for c in r.columns] == ["year", "quarter", "sales"]
    assert _edges(r)["sales"] == ("rename", [f"{WIDE}.q1", f"{WIDE}.q2"])


def test_pivots_it_cannot_trace_say_why() -> None:
    relations = {'"DB"."S"."ORDERS"': (ORD, ("ID", "STATUS", "AMOUNT"))}
    # Snowflake's IN (ANY): the columns are the data's values.
    r = _run(
        "select * from db.s.orders pivot (sum(amount) for status in (any order by status))",
        dialect="snowflake",
        relations=relations,
        output=("ID", "'paid'"),
    )
    assert (r.status, r.category) == ("failed", "unsupported")
    assert "IN list" in r.reason
    # Several aggregates without names: DuckDB's names for them are its own.
    r = _run(
        """select * from "db"."main"."orders" """
        """pivot (sum(amount), count(*) for status in ('paid', 'open'))""",
    )
    assert (r.status, r.category) == ("failed", "unsupported")
    # A dialect whose pivot column names are not checked.
    r = _run(
        "select * from `p.d.orders` pivot (sum(amount) for status in ('paid'))",
        dialect="bigquery",
        relations={"`p.d.orders`": (ORD, ORDERS)},
    )
    assert (r.status, r.category) == ("failed", "unsupported")
    assert "bigquery" in r.reason
    # Over a relation whose columns are not known: the grouping columns are not known.
    r = _run(
        """select * from "db"."main"."orders" pivot (sum(amount) for status in ('paid'))""",
        relations={'"db"."main"."orders"': (ORD, ())},
    )
    assert (r.status, r.category) == ("failed", "unknown_columns")
    # DuckDB's PIVOT statement without an IN list.
    r = _run('pivot "db"."main"."orders" on status using sum(amount)')
    assert (r.status, r.category) == ("failed", "unsupported")
    assert "IN list" in r.reason


def test_duckdb_pivot_and_unpivot_statements() -> None:
    r = _run(
        """pivot "db"."main"."orders" on status in ('paid', 'open') using sum(amount)
        group by customer_id"""
    )
    assert r.status == "parsed"
    assert _edges(r) == {
        "customer_id": ("passthrough", [f"{ORD}.customer_id"]),
        "paid": ("aggregated", [f"{ORD}.amount", f"{ORD}.status"]),
        "open": ("aggregated", [f"{ORD}.amount", f"{ORD}.status"]),
    }
    # Without GROUP BY, the columns it does not read are the groups; named aggregates make
    # <value>_<name> columns.
    r = _run(
        """pivot "db"."main"."orders" on status in ('paid')
        using sum(amount) as total, count(*) as n"""
    )
    assert _edges(r) == {
        "order_id": ("passthrough", [f"{ORD}.order_id"]),
        "customer_id": ("passthrough", [f"{ORD}.customer_id"]),
        "ordered_at": ("passthrough", [f"{ORD}.ordered_at"]),
        "paid_total": ("aggregated", [f"{ORD}.amount", f"{ORD}.status"]),
        "paid_n": ("aggregated", [f"{ORD}.status"]),
    }
    relations = {'"db"."main"."wide"': (WIDE, ("id", "q1", "q2"))}
    r = _run(
        'unpivot "db"."main"."wide" on q1, q2 into name quarter value amount', relations=relations
    )
    assert _edges(r) == {
        "id": ("passthrough", [f"{WIDE}.id"]),
        "quarter": ("transformed", []),
        "amount": ("rename", [f"{WIDE}.q1", f"{WIDE}.q2"]),
    }
    # DuckDB's default names, inside a CTE of a query
    r = _run(
        'with u as (unpivot "db"."main"."wide" on q1, q2) select id, name, value * 2 as v2 from u',
        relations=relations,
    )
    assert _edges(r) == {
        "id": ("passthrough", [f"{WIDE}.id"]),
        "name": ("transformed", []),
        "v2": ("transformed", [f"{WIDE}.q1", f"{WIDE}.q2"]),
    }


def test_seeds_are_roots() -> None:
    r = _run("", uid="seed.p.plans", output=("code", "name"))
    assert r.status == "parsed"
    assert [(c.column, c.upstream) for c in r.columns] == [("code", ()), ("name", ())]


META = ("dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to")


def test_a_snapshot_without_a_known_config_says_so_for_its_meta_columns() -> None:
    r = _run(
        'select * from "db"."main"."orders"',
        uid="snapshot.p.orders_snapshot",
        output=(*ORDERS, "dbt_valid_from", "dbt_scd_id"),
    )
    assert r.status == "partial"
    assert _cols(r)["dbt_valid_from"].error_category == "unsupported"
    assert "config" in _cols(r)["dbt_valid_from"].error
    assert _cols(r)["order_id"].kind == "passthrough"


def test_timestamp_snapshot_meta_columns_come_from_unique_key_and_updated_at() -> None:
    # dbt's build_snapshot_table: select *, md5(key | updated_at) as dbt_scd_id, updated_at as
    # dbt_updated_at, updated_at as dbt_valid_from, coalesce(nullif(updated_at, updated_at),
    # null) as dbt_valid_to; later runs set dbt_valid_to to the next version's updated_at.
    r = _run(
        'select * from "db"."main"."orders"',
        uid="snapshot.p.orders_snapshot",
        output=(*ORDERS, *META),
        config={"strategy": "timestamp", "unique_key": "order_id", "updated_at": "ordered_at"},
    )
    assert (r.status, r.category, r.reason) == ("parsed", "", "")
    e = _edges(r)
    assert e["order_id"] == ("passthrough", [f"{ORD}.order_id"])
    assert e["dbt_scd_id"] == ("transformed", [f"{ORD}.order_id", f"{ORD}.ordered_at"])
    assert e["dbt_updated_at"] == ("rename", [f"{ORD}.ordered_at"])
    assert e["dbt_valid_from"] == ("rename", [f"{ORD}.ordered_at"])
    assert e["dbt_valid_to"] == ("transformed", [f"{ORD}.ordered_at"])
    assert [c.column for c in r.columns] == [*ORDERS, *META]


def test_check_snapshot_without_updated_at_stamps_the_snapshot_time() -> None:
    # check strategy: updated_at is the snapshot time (no upstream); dbt_scd_id hashes the key
    # and that time, so check_cols only decide when a new row is made, like a filter.
    # hard_deletes new_record adds dbt_is_deleted ('True' / 'False' literals).
    r = _run(
        'select order_id, customer_id, status from "db"."main"."orders"',
        uid="snapshot.p.orders_snapshot",
        config={
            "strategy": "check",
            "unique_key": ["order_id", "customer_id"],
            "check_cols": ["status"],
            "hard_deletes": "new_record",
            "snapshot_meta_column_names": {"dbt_valid_from": "valid_from", "dbt_valid_to": None},
        },
    )
    assert r.status == "parsed"
    assert _edges(r) == {
        "order_id": ("passthrough", [f"{ORD}.order_id"]),
        "customer_id": ("passthrough", [f"{ORD}.customer_id"]),
        "status": ("passthrough", [f"{ORD}.status"]),
        "dbt_scd_id": ("transformed", [f"{ORD}.customer_id", f"{ORD}.order_id"]),
        "dbt_updated_at": ("transformed", []),
        "valid_from": ("transformed", []),
        "dbt_valid_to": ("transformed", []),
        "dbt_is_deleted": ("transformed", []),
    }


def test_new_record_deletes_make_the_updated_at_copies_transformed() -> None:
    # Deletion records carry the snapshot time in dbt_updated_at / dbt_valid_from, so they are
    # not the updated_at column under a new name any more.
    r = _run(
        'select order_id, ordered_at from "db"."main"."orders"',
        uid="snapshot.p.orders_snapshot",
        config={
            "strategy": "check",
            "unique_key": "order_id",
            "updated_at": "ordered_at",
            "check_cols": "all",
            "hard_deletes": "new_record",
        },
    )
    e = _edges(r)
    assert e["dbt_updated_at"] == ("transformed", [f"{ORD}.ordered_at"])
    assert e["dbt_valid_from"] == ("transformed", [f"{ORD}.ordered_at"])
    assert e["dbt_scd_id"] == ("transformed", [f"{ORD}.order_id", f"{ORD}.ordered_at"])


def test_snapshot_config_expressions_and_snowflake_case() -> None:
    relations = {'"DB"."S"."ORDERS"': (ORD, ("ID", "REGION", "UPDATED"))}
    r = _run(
        "select id, region, updated from db.s.orders",
        dialect="snowflake",
        relations=relations,
        uid="snapshot.p.orders_snapshot",
        output=("ID", "REGION", "UPDATED", *(m.upper() for m in META)),
        config={
            "strategy": "timestamp",
            "unique_key": "id || '-' || region",
            "updated_at": "cast(updated as timestamp)",
            "invalidate_hard_deletes": True,
            "dbt_valid_to_current": "to_date('9999-12-31')",
        },
    )
    assert r.status == "parsed"
    e = _edges(r)
    assert e["DBT_SCD_ID"] == (
        "transformed",
        [f"{ORD}.ID", f"{ORD}.REGION", f"{ORD}.UPDATED"],
    )
    assert e["DBT_UPDATED_AT"] == ("transformed", [f"{ORD}.UPDATED"])
    assert e["DBT_VALID_TO"] == ("transformed", [f"{ORD}.UPDATED"])


def test_snapshot_meta_columns_it_cannot_trace_say_why() -> None:
    select = 'select * from "db"."main"."orders"'
    uid = "snapshot.p.orders_snapshot"
    # A custom strategy macro: what it hashes and stamps is not known.
    r = _run(select, uid=uid, output=(*ORDERS, *META), config={"strategy": "my_pkg.custom"})
    assert r.status == "partial"
    for col in META:
        assert _cols(r)[col].error_category == "unsupported", col
        assert "my_pkg.custom" in _cols(r)[col].error
    # timestamp without updated_at: dbt itself would fail.
    r = _run(select, uid=uid, config={"strategy": "timestamp", "unique_key": "order_id"})
    assert r.status == "partial"
    assert _cols(r)["dbt_valid_from"].error
    assert not _cols(r)["dbt_valid_from"].upstream
    # updated_at naming a column the query does not have.
    r = _run(
        select,
        uid=uid,
        config={"strategy": "timestamp", "unique_key": "order_id", "updated_at": "nope"},
    )
    assert _cols(r)["dbt_updated_at"].error_category == "unknown_columns"
    assert _cols(r)["dbt_scd_id"].error_category == "unknown_columns"
    # dbt_is_deleted left in the table by an earlier hard_deletes='new_record'.
    r = _run(
        select,
        uid=uid,
        output=(*ORDERS, *META, "dbt_is_deleted"),
        config={"strategy": "timestamp", "unique_key": "order_id", "updated_at": "ordered_at"},
    )
    assert r.status == "partial"
    assert _cols(r)["dbt_is_deleted"].error_category == "unsupported"
    assert "new_record" in _cols(r)["dbt_is_deleted"].error
    assert not _cols(r)["dbt_valid_to"].error


def test_snapshot_config_reads_dbts_hard_deletes_settings() -> None:
    assert snapshot_config({}) is None
    plain = snapshot_config({"strategy": "check"})
    assert plain is not None
    assert plain.hard_deletes == "ignore"
    legacy = snapshot_config({"strategy": "check", "invalidate_hard_deletes": True})
    assert legacy is not None
    assert legacy.hard_deletes == "invalidate"


def test_table_functions_and_values_have_no_upstream() -> None:
    r = _run("select cast(d as date) as day from range(1, 3) as t(d)")
    assert _edges(r) == {"day": ("transformed", [])}
    r = _run("select code from (values (1), (2)) as v(code)")
    assert _edges(r) == {"code": ("transformed", [])}


def test_a_table_functions_named_parameters_are_not_columns() -> None:
    # DuckDB's `name = value` parameters parse as comparisons with a column: only the value is
    # read. Files hold the columns: none of them comes from a parent.
    r = _run(
        "select cast(season as integer) as season, rowid as row_id "
        "from read_parquet('/data/laps/*.parquet', hive_partitioning = 1)"
    )
    assert r.status == "parsed"
    assert _edges(r) == {"season": ("transformed", []), "row_id": ("transformed", [])}
    # A star over it stays unknown, with that reason.
    star = _run("select * from read_csv('/data/x.csv', header = true)")
    assert (star.status, star.category) == ("failed", "unsupported")
    assert "table function" in star.reason


def test_a_star_over_unknown_columns_that_gives_no_known_column_is_not_complete() -> None:
    # Only the renamed columns are declared: the star's columns are the model's too, and
    # nothing says which. Traced as they were, the four would look like the whole model.
    sql = """
        with src as (select * from read_parquet('/data/laps/*.parquet'))
        select cast(season as integer) as season, * exclude (season) from src
        """
    r = _run(sql, output=("season",))
    assert r.status == "partial"
    assert r.category == "unsupported"
    assert "SELECT *" in r.reason
    assert _edges(r) == {"season": ("transformed", [])}
    # Known columns the star gives: it is accounted for.
    r = _run(sql, output=("season", "lap_time"))
    assert r.status == "parsed"


def test_duckdb_rowid_numbers_the_row_and_has_no_upstream() -> None:
    r = _run('select rowid as row_id, order_id from "db"."main"."orders"')
    assert _edges(r) == {
        "row_id": ("transformed", []),
        "order_id": ("passthrough", [f"{ORD}.order_id"]),
    }
    # A real column of that name is the column.
    relations = {'"db"."main"."t"': (ORD, ("rowid",))}
    r = _run('select rowid from "db"."main"."t"', relations=relations)
    assert _edges(r) == {"rowid": ("passthrough", [f"{ORD}.rowid"])}


def test_an_expression_without_an_alias_is_named_as_postgres_names_it() -> None:
    r = _run(
        """
        select customer_id, count(order_id), amount::int, amount + 1, now()
        from "db"."main"."orders" group by 1, 3, 4
        """,
        dialect="postgres",
        output=("customer_id", "count", "amount", "?column?", "now"),
    )
    assert _edges(r) == {
        "customer_id": ("passthrough", [f"{ORD}.customer_id"]),
        "count": ("aggregated", [f"{ORD}.order_id"]),
        "amount": ("transformed", [f"{ORD}.amount"]),
        "?column?": ("transformed", [f"{ORD}.amount"]),
        # sqlglot reads now() as CURRENT_TIMESTAMP: its name is not known for sure
        "CURRENT_TIMESTAMP": ("error:unsupported", []),
        "now": ("error:unknown_columns", []),
    }


def test_an_expression_without_an_alias_is_not_given_a_guessed_name() -> None:
    # Each warehouse names it its own way (DuckDB the expression's text, BigQuery f0_):
    # the column is untraced, never traced under a made-up name. A scalar subquery's
    # unnamed column is only its value, and traced.
    r = _run(
        """
        select 'x', upper(status), (select max(amount) from "db"."main"."orders") as top
        from "db"."main"."orders"
        """
    )
    assert _edges(r) == {
        "'x'": ("error:unsupported", []),
        "UPPER(status)": ("error:unsupported", []),
        "top": ("aggregated", [f"{ORD}.amount"]),
    }
    assert r.status == "partial"


def test_unnest_reads_its_argument() -> None:
    relations = {"`p.d.t`": (ORD, ("id", "tags"))}
    r = _run(
        "select id, tag from `p.d.t`, unnest(tags) as tag", dialect="bigquery", relations=relations
    )
    assert _edges(r) == {
        "id": ("passthrough", [f"{ORD}.id"]),
        "tag": ("transformed", [f"{ORD}.tags"]),
    }


def test_lateral_column_aliases_resolve_to_the_earlier_expression() -> None:
    r = _run('select amount * 2 as doubled, doubled + 1 as plus_one from "db"."main"."orders"')
    assert _edges(r)["plus_one"] == ("transformed", [f"{ORD}.amount"])


def test_output_columns_take_the_catalog_spelling_and_order() -> None:
    r = _run('select amount, order_id from "db"."main"."orders"', output=("ORDER_ID", "Amount"))
    assert [c.column for c in r.columns] == ["ORDER_ID", "Amount"]


def test_relation_key_normalises_quotes_and_case() -> None:
    assert relation_key('"DB"."Main"."T"', "duckdb") == "db.main.t"
    assert relation_key("`proj.ds.t`", "bigquery") == relation_key("proj.ds.t", "bigquery")
    assert relation_key('"db"."Public"."T"', "postgres") == "db.Public.T"
    assert relation_key("db.Public.T", "postgres") == "db.public.t"


def test_union_by_name_matches_columns_by_name() -> None:
    r = _run(
        """
        select order_id as id, amount from "db"."main"."orders"
        union all by name
        select customer_id as id, name from "db"."main"."customers"
        """
    )
    assert _edges(r) == {
        "id": ("rename", [f"{ORD}.order_id", f"{CUS}.customer_id"]),
        "amount": ("passthrough", [f"{ORD}.amount"]),
        "name": ("passthrough", [f"{CUS}.name"]),
    }


def test_a_column_alias_list_renames_a_relations_columns() -> None:
    r = _run('select x, amount from "db"."main"."orders" as o(x)')
    assert _edges(r) == {
        "x": ("rename", [f"{ORD}.order_id"]),
        "amount": ("passthrough", [f"{ORD}.amount"]),
    }


EMP = "model.p.employees"
EMPLOYEES = {'"db"."main"."employees"': (EMP, ("id", "manager_id", "name"))}


def test_a_recursive_cte_unions_its_anchor_and_its_recursive_branch() -> None:
    r = _run(
        """
        with recursive chain as (
            select id, manager_id, name, 1 as depth
            from db.main.employees where manager_id is null
            union all
            select e.id, e.manager_id, c.name, c.depth + 1
            from db.main.employees as e join chain as c on e.manager_id = c.id
        )
        select id, manager_id, name as top_name, depth from chain
        """,
        relations=EMPLOYEES,
    )
    assert r.status == "parsed"
    assert _edges(r) == {
        "id": ("passthrough", [f"{EMP}.id"]),
        "manager_id": ("passthrough", [f"{EMP}.manager_id"]),
        # the anchor's name, handed down unchanged by the recursive branch
        "top_name": ("rename", [f"{EMP}.name"]),
        # a literal, then itself plus one: no upstream column
        "depth": ("transformed", []),
    }


def test_a_recursive_cte_follows_columns_that_swap_places_until_nothing_changes() -> None:
    r = _run(
        """
        with recursive r(a, b) as (
            select id, name from db.main.employees
            union all
            select b, upper(a) from r where false
        )
        select a, b from r
        """,
        relations=EMPLOYEES,
    )
    # a = id, then b of the step before (name, then upper(id), ...): both columns, at last.
    assert _edges(r) == {
        "a": ("transformed", [f"{EMP}.id", f"{EMP}.name"]),
        "b": ("transformed", [f"{EMP}.id", f"{EMP}.name"]),
    }
    # A plain CTE in a WITH RECURSIVE is an ordinary CTE.
    r = _run(
        "with recursive base as (select id from db.main.employees) select id from base",
        relations=EMPLOYEES,
    )
    assert _edges(r) == {"id": ("passthrough", [f"{EMP}.id"])}


T = "model.p.t"
U = "model.p.u"


def test_snowflake_flatten_columns_come_from_its_input_but_seq() -> None:
    relations = {'"DB"."S"."T"': (T, ("ID", "ARR", "PAYLOAD"))}
    r = _run(
        "select t.id, f.value as v, f.index as i, f.key as k, f.path as p, f.this as th, "
        "f.seq as s from db.s.t, lateral flatten(input => t.arr, outer => true) f",
        dialect="snowflake",
        relations=relations,
    )
    assert r.status == "parsed"
    assert _edges(r) == {
        "ID": ("passthrough", [f"{T}.ID"]),
        "V": ("transformed", [f"{T}.ARR"]),
        "I": ("transformed", [f"{T}.ARR"]),
        "K": ("transformed", [f"{T}.ARR"]),
        "P": ("transformed", [f"{T}.ARR"]),
        "TH": ("transformed", [f"{T}.ARR"]),
        # a number for the input row, not made of its values (like row_number())
        "S": ("transformed", []),
    }
    r = _run(
        "select t.id, value:sku::string as sku "
        "from db.s.t, table(flatten(input => parse_json(t.payload):items))",
        dialect="snowflake",
        relations=relations,
    )
    assert _edges(r) == {
        "ID": ("passthrough", [f"{T}.ID"]),
        "SKU": ("transformed", [f"{T}.PAYLOAD"]),
    }
    r = _run(
        "select f.* from db.s.t, lateral flatten(t.arr) as f(a, b, c, d, e, g)",
        dialect="snowflake",
        relations=relations,
    )
    assert _edges(r) == {
        "A": ("transformed", []),
        **{c: ("transformed", [f"{T}.ARR"]) for c in ("B", "C", "D", "E", "G")},
    }


def test_lateral_subqueries_and_spark_lateral_views() -> None:
    rels = {"db.s.t": (T, ("id", "arr")), "db.s.u": (U, ("id", "c"))}
    r = _run(
        "select a.id, l.c from db.s.t as a "
        "join lateral (select c from db.s.u where u.id = a.id) as l on true",
        relations=rels,
    )
    # the correlation is a filter: not upstream
    assert _edges(r) == {"id": ("passthrough", [f"{T}.id"]), "c": ("passthrough", [f"{U}.c"])}
    r = _run(
        "select id, pos, x from db.s.t lateral view posexplode(arr) e as pos, x",
        dialect="spark",
        relations=rels,
    )
    assert _edges(r) == {
        "id": ("passthrough", [f"{T}.id"]),
        "pos": ("transformed", [f"{T}.arr"]),
        "x": ("transformed", [f"{T}.arr"]),
    }


def test_duckdb_columns_expands_like_a_star_over_the_matching_names() -> None:
    # DuckDB matches the regular expression anywhere in the name, case-sensitively.
    r = _run("""select columns('^a|status') from "db"."main"."orders" """)
    assert r.status == "parsed"
    assert _edges(r) == {
        "amount": ("passthrough", [f"{ORD}.amount"]),
        "status": ("passthrough", [f"{ORD}.status"]),
    }
    r = _run(
        """select order_id as id, columns(* exclude (order_id, customer_id))
        from "db"."main"."orders" """
    )
    assert list(_edges(r)) == ["id", "amount", "status", "ordered_at"]
    assert _edges(r)["ordered_at"] == ("passthrough", [f"{ORD}.ordered_at"])
    # Over a relation whose columns are not known, what matches is not known (with the node's
    # own columns known, each is the relation's, as with a star).
    r = _run(
        """select columns('^a') from "db"."main"."orders" """,
        relations={'"db"."main"."orders"': (ORD, ())},
    )
    assert (r.status, r.category) == ("failed", "unknown_columns")


def test_constructs_it_cannot_trace_are_errors_with_their_reason() -> None:
    # An expression over COLUMNS(...): DuckDB names the columns it makes by its own rules.
    r = _run("""select min(columns('amount|status')) from "db"."main"."orders" """)
    assert (r.status, r.category) == ("failed", "unsupported")
    assert "COLUMNS" in r.reason
    # A recursive CTE with no branch that does not read itself has nothing to start from.
    r = _run("with recursive r as (select n + 1 as n from r) select n from r")
    assert (r.status, r.category) == ("failed", "unsupported")
    assert "recursive" in r.reason
    # Spark's LATERAL VIEW without column names: what `*` holds is not known.
    r = _run(
        "select e.* from db.s.t lateral view explode(arr) e",
        dialect="spark",
        relations={"db.s.t": (ORD, ("id", "arr"))},
    )
    assert (r.status, r.category) == ("failed", "unsupported")


ODD_SQL = [
    (
        "snowflake",
        "select id, payload:customer.id::int as cid from db.s.t "
        "qualify row_number() over (partition by id order by ts) = 1",
    ),
    ("spark", "select id, x from db.s.t lateral view explode(arr) e as x"),
    ("duckdb", "select * from db.s.t natural join db.s.u"),
    ("duckdb", "select distinct on (id) id, a from db.s.t order by id, ts desc"),
    ("duckdb", "select * from db.s.t unpivot (v for k in (a, b))"),
    ("duckdb", "select id, count(distinct a) as n from db.s.t group by all"),
    (
        "duckdb",
        "select a.id from (select * from db.s.t) a "
        "join lateral (select id from db.s.u where u.id = a.id) l on true",
    ),
    ("duckdb", "select struct_pack(x := a, y := b) as s, s.x as sx from db.s.t"),
    ("duckdb", "select list_transform(arr, x -> x + a) as l from db.s.t"),
    (
        "bigquery",
        "select id, (select as struct a, b) as st, "
        "array(select x from unnest(arr) x) as xs from `p.s.t`",
    ),
    ("duckdb", "select id from db.s.t; select a from db.s.t"),
    ("duckdb", "-- only a comment"),
    ("duckdb", "insert into x select * from db.s.t"),
    ("duckdb", "with x as (select id from db.s.t) select * from x join x as y using (id)"),
    ("tsql", "select top 10 [id], [a] as [A Col] from [db].[s].[t]"),
    (
        "redshift",
        "select id, listagg(a, ',') within group (order by ts) as l from db.s.t group by 1",
    ),
    ("clickhouse", "select id, arrayJoin(arr) as x from db.s.t"),
    ("an_adapter_sqlglot_does_not_know", "select id from db.s.t"),
    ("duckdb", "select sum(a) over w as s from db.s.t window w as (partition by id)"),
    ("duckdb", "select {{ ref('t') }}.id from t"),
    ("duckdb", "select * from read_parquet('x.parquet')"),
    ("duckdb", "select case id when 1 then (select max(c) from db.s.u) end as c from db.s.t"),
    ("duckdb", "select " + " + ".join(["a"] * 3000) + " as deep from db.s.t"),
]


def test_odd_sql_never_raises_and_never_claims_what_it_did_not_trace() -> None:
    for dialect, sql in ODD_SQL:
        rels = {"db.s.t": ("model.p.t", ("id", "a", "b", "payload", "arr", "ts"))}
        rels |= {"db.s.u": ("model.p.u", ("id", "c")), "`p.s.t`": ("model.p.t", ("id", "a", "arr"))}
        r = _run(sql, dialect=dialect, relations=rels)
        assert r.status in ("parsed", "partial", "failed"), sql
        assert (r.status == "parsed") == (r.category == ""), sql
        errors = any(c.error for c in r.columns)
        # Not parsed: some column says why, or no column is known at all.
        assert (r.status == "parsed") == (bool(r.columns) and not errors), sql
        for c in r.columns:
            assert bool(c.kind) != bool(c.error), (sql, c)
            assert not (c.error and c.upstream), (sql, c)


def test_a_column_read_from_a_relation_with_declared_columns_only_is_its_column() -> None:
    # Without a catalog, YAML often declares some columns only: the SQL ran, so a name it
    # reads from that relation is one of its columns, declared or not.
    src = "source.p.raw.games"
    relations = {'"db"."raw"."games"': (src, ("game_id",), False)}
    r = _run(
        """
        with g as (select * from "db"."raw"."games")
        select game_id, game_date, g.rating * 2 as doubled from g
        """,
        relations=relations,
        output=("game_id", "game_date", "doubled", "white"),
    )
    assert _edges(r) == {
        "game_id": ("passthrough", [f"{src}.game_id"]),
        "game_date": ("passthrough", [f"{src}.game_date"]),
        "doubled": ("transformed", [f"{src}.rating"]),
        "white": ("error:unknown_columns", []),  # the catalog's, not in the select list
    }
    # A known column list is all the relation has: an unknown name is an error.
    closed = _run(
        'select game_date from "db"."raw"."games"',
        relations={'"db"."raw"."games"': (src, ("game_id",), True)},
    )
    assert (closed.status, closed.category) == ("failed", "unknown_columns")
    # Two such relations: which one has it is not known.
    two = _run(
        """
        select game_date from "db"."raw"."games"
        cross join (select * from "db"."raw"."moves") as m
        """,
        relations={
            '"db"."raw"."games"': (src, ("game_id",), False),
            '"db"."raw"."moves"': ("source.p.raw.moves", ("move_id",), False),
        },
    )
    assert (two.status, two.category) == ("failed", "unknown_columns")

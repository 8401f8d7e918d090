"""The catalog's pages. Each view checks access, calls selectors and renders one template.

Every state a reader may want to share (filters, sort, page, tab, query) is in the URL.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt

from catalog import (
    changes,
    charts,
    column_lineage,
    governance,
    health,
    history,
    quality,
    search,
    selectors,
    tiles,
)
from catalog.tables import Col, Table, table_apply, table_csv
from lineage.explore import Graph, View, explore, impact
from lineage.graph import Dag
from lineage.queries import dag_get, infos_get, neighbourhood, walk
from lineage.selection import selector_for

PAGE_SIZE = 100
SEARCH_PAGE_SIZE = 20
NODE_TABS = ("overview", "code", "tests", "runs", "impact")


def may_read(request: HttpRequest) -> bool:
    """Pages need a login unless the deployment allows anonymous read-only access."""
    return bool(settings.ANONYMOUS_READ or request.user.is_authenticated)


def read_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page: to the login unless `may_read`."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_read(request):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def _query(request: HttpRequest, **changes: Any) -> str:
    """The current query string with `changes` applied (None removes a key), for links."""
    params = {k: v for k, v in request.GET.items() if v}
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    return urlencode(params)


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness: the database answers, and the broker when one is configured."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as e:  # noqa: BLE001 - any failure means not ready
        checks["database"] = f"error: {e}"
    if settings.REDIS_URL:
        from lantern.celery import app

        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as e:  # noqa: BLE001
            checks["broker"] = f"error: {e}"
    else:
        checks["broker"] = "not configured (tasks run inline)"
    healthy = all(v == "ok" or v.startswith("not configured") for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


@read_access
def home(request: HttpRequest) -> HttpResponse:
    env = selectors.environment_default()
    if env is None:
        return render(request, "catalog/empty.html")
    return redirect("catalog-environment", env_id=env.pk)


@read_access
def environment_home(request: HttpRequest, env_id: int) -> HttpResponse:
    env = selectors.environment_get(env_id=env_id)
    if request.GET.get("type"):  # the first version of Lantern listed nodes here
        return redirect(f"{reverse('catalog-list', args=[env.pk])}?{_query(request)}")
    return render(
        request,
        "catalog/environment.html",
        {
            "env": env,
            "overview": selectors.environment_overview(environment=env),
            "ingest": selectors.ingest_latest(environment=env),
            "governance": governance.governance_summary(environment=env),
        },
    )


@read_access
def node_list(request: HttpRequest, env_id: int) -> HttpResponse:
    env = selectors.environment_get(env_id=env_id)
    filters = {k: request.GET.get(k, "").strip() for k in selectors.LIST_FILTERS}
    sort = request.GET.get("sort", "name")
    paginator = Paginator(
        selectors.node_list(environment=env, filters=filters, sort=sort), PAGE_SIZE
    )
    # The count of a filter combination holds until the next load: counted once.
    paginator.count = selectors.node_count(environment=env, filters=filters)
    page = paginator.get_page(request.GET.get("page"))
    resource_type = filters["type"]
    facets = selectors.list_facets(environment=env, resource_type=resource_type)
    return render(
        request,
        "catalog/list.html",
        {
            "env": env,
            "page": page,
            "filters": filters,
            # (name, label, [(value, count)], current value) for each filter that can narrow
            "selects": [
                (name, label, facets[name], filters[name])
                for name, label in LIST_FACET_LABELS
                if facets.get(name) or filters[name]
            ],
            # (name, value, the URL without it) for each filter in force
            "chips": [
                (k, v, "?" + _query(request, **{k: None, "page": None}))
                for k, v in filters.items()
                if v and k != "type"
            ],
            "sort": sort,
            "resource_type": resource_type,
            "counts": selectors.environment_counts(environment=env),
            "health": (
                health.environment_health(environment=env)
                if resource_type in health.RATED or not resource_type
                else {}
            ),
        },
    )


LIST_FACET_LABELS = (
    ("package", "Package"),
    ("tag", "Tag"),
    ("access", "Access"),
    ("materialized", "Materialized"),
    ("owner", "Owner"),
    ("group", "Group"),
    ("layer", "Layer"),
    ("status", "Last run"),
    ("database", "Database"),
    ("schema", "Schema"),
)


@read_access
def browse(request: HttpRequest, env_id: int) -> HttpResponse:
    env = selectors.environment_get(env_id=env_id)
    by = "databases" if request.GET.get("by") == "databases" else "folders"
    resource_type = request.GET.get("type", "")
    tree = (
        selectors.database_tree(environment=env)
        if by == "databases"
        else selectors.folder_tree(environment=env, resource_type=resource_type)
    )
    return render(
        request,
        "catalog/browse.html",
        {
            "env": env,
            "by": by,
            "tree": tree,
            "resource_type": resource_type,
            "counts": selectors.environment_counts(environment=env),
            "open": _open_folders(request.GET.get("open", "")),
        },
    )


def _open_folders(value: str) -> set[str]:
    """?open=a/b,c: those folders and their ancestors are shown open."""
    opened: set[str] = set()
    for path in filter(None, (p.strip("/") for p in value.split(","))):
        parts = path.split("/")
        opened.update("/".join(parts[: i + 1]) for i in range(len(parts)))
    return opened


@read_access
def node_detail(request: HttpRequest, env_id: int, unique_id: str) -> HttpResponse:
    env = selectors.environment_get(env_id=env_id)
    node = selectors.node_get(
        environment=env, unique_id=unique_id, project=request.GET.get("project", "")
    )
    tab = request.GET.get("tab", "overview")
    if tab not in NODE_TABS:
        tab = "overview"
    tests = selectors.node_tests(node=node)
    context: dict[str, Any] = {
        "env": env,
        "node": node,
        "health": health.health_of(environment=env, unique_id=node.unique_id),
        "tab": tab,
        "tests": tests,
        "version_state": selectors.version_state(node),
        "deprecation": selectors.deprecation_state(node),
        "versions": selectors.node_versions(node=node),
        "parents": selectors.node_parents(node=node),
        "children": selectors.node_children(node=node),
    }
    context["explorer_select"] = "+{}+".format(
        selector_for(
            node.resource_type, node.name, version=node.version, source_name=node.source_name
        )
    )
    if tab == "overview":
        context["columns"] = selectors.node_columns(node=node)
        context.update(
            column_lineage.model_page(environment=env, node=node, columns=context["columns"])
        )
        context["column_tests"] = selectors.tests_by_column(tests)
        if node.resource_type not in ("macro", "group"):  # not nodes of dbt's graph
            context["graph"] = node_graph(env, node.unique_id, request.GET).as_dict()
    if tab == "impact":
        table = table_apply(impact_table(env, node.unique_id), request.GET.dict())
        if request.GET.get("format") == "csv":
            return table_csv(table, f"lantern-{env.name}-impact-{node.name}.csv")
        context["table"] = table
    if tab == "runs":
        context["executions"] = selectors.node_executions(node=node, limit=50)
        if node.resource_type in ("model", "seed", "snapshot"):
            points = history.model_series(environment=env, unique_id=node.unique_id, days=0)
            context["timing_chart"] = charts.timeline(points) if len(points) > 1 else ""
            context["timing_trend"] = charts.trend_share(points)
        if node.resource_type == "source":
            context["freshness"] = selectors.node_freshness(node=node, limit=50)
    if node.resource_type == "macro":
        context["users"] = selectors.macro_users(node=node)
    if node.resource_type == "group":
        context["members"] = selectors.group_members(node=node)
    if tab == "code":
        context["macros"] = selectors.node_macros(node=node)
    return render(request, "catalog/node.html", context)


@read_access
def column_detail(request: HttpRequest, env_id: int, unique_id: str, column: str) -> HttpResponse:
    env = selectors.environment_get(env_id=env_id)
    node = selectors.node_get(
        environment=env, unique_id=unique_id, project=request.GET.get("project", "")
    )
    col = selectors.column_get(node=node, name=column)
    lineage = column_lineage.column_page(environment=env, node=node, column=col, params=request.GET)
    if request.GET.get("format") == "csv":
        table = table_apply(lineage["table"], request.GET.dict())
        return table_csv(table, f"lantern-{env.name}-column-lineage-{node.name}.{col.name}.csv")
    return render(
        request,
        "catalog/column.html",
        {
            "env": env,
            "node": node,
            "column": col,
            "tests": selectors.column_tests(node=node, column=col),
            "same_name": selectors.columns_named(environment=env, name=col.name, exclude_node=node),
            "lineage": lineage,
        },
    )


@read_access
def column_lineage_page(request: HttpRequest, env_id: int) -> HttpResponse:
    """Project-wide coverage of column lineage: each model's status, why, and its counts."""
    env = selectors.environment_get(env_id=env_id)
    table = table_apply(column_lineage.coverage_table(environment=env), request.GET.dict())
    if request.GET.get("format") == "csv":
        return table_csv(table, f"lantern-{env.name}-column-lineage.csv")
    return render(request, "catalog/column_lineage.html", {"env": env, "table": table})


SEARCH_FILTERS = ("type", "package", "tag", "access", "owner")


@read_access
def search_page(request: HttpRequest, env_id: int) -> HttpResponse:
    env = selectors.environment_get(env_id=env_id)
    q = request.GET.get("q", "").strip()
    filters = {k: request.GET.get(k, "") for k in SEARCH_FILTERS if request.GET.get(k)}
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    results = (
        search.search(environment=env, q=q, filters=filters, page=page, per_page=SEARCH_PAGE_SIZE)
        if q
        else None
    )
    pages = 0
    if results is not None:
        pages = (results.total + SEARCH_PAGE_SIZE - 1) // SEARCH_PAGE_SIZE
    return render(
        request,
        "catalog/search.html",
        {
            "env": env,
            "q": q,
            "filters": filters,
            "results": results,
            "page": page,
            "pages": pages,
            "start": (page - 1) * SEARCH_PAGE_SIZE + 1,
        },
    )


@read_access
def search_suggest(request: HttpRequest, env_id: int) -> JsonResponse:
    env = selectors.environment_get(env_id=env_id)
    q = request.GET.get("q", "").strip()
    suggestions = search.suggest(environment=env, q=q, limit=8) if q else []
    items = []
    for s in suggestions:
        if s.kind == "column":
            url = reverse("catalog-column", args=[env.pk, s.unique_id, s.column_name])
        else:
            url = reverse("catalog-node", args=[env.pk, s.unique_id])
        items.append(
            {
                "kind": s.kind,
                "name": s.name,
                "column": s.column_name,
                "type": s.resource_type,
                "unique_id": s.unique_id,
                "url": url,
            }
        )
    return JsonResponse({"q": q, "results": items})


@read_access
def governance_page(request: HttpRequest, env_id: int) -> HttpResponse:
    env = selectors.environment_get(env_id=env_id)
    view = request.GET.get("view", "owners")
    table = table_apply(
        governance.governance_report(environment=env, view=view), request.GET.dict()
    )
    if request.GET.get("format") == "csv":
        return table_csv(table, f"lantern-{env.name}-{table.name}.csv")
    return render(
        request,
        "catalog/governance.html",
        {
            "env": env,
            "table": table,
            "views": governance.VIEWS,
            "summary": governance.governance_summary(environment=env),
            "query": _query(request),
        },
    )


# --------------------------------------------------------------------------------------------
# Lineage


def node_graph(env: Any, unique_id: str, params: Any) -> Graph:
    """The graph around one node, read from the database (no environment-wide Dag needed)."""
    view = View.from_params(params, focus=unique_id)
    dag = neighbourhood(env, unique_id, up=view.up, down=view.down, expand=view.expand)
    return with_health(env, explore(dag, view))


def with_health(env: Any, graph: Graph) -> Graph:
    """Mark the graph's models, sources and exposures with their health signal."""
    states = health.environment_health(environment=env)
    for node in graph.nodes:
        signal = states.get(node.id)
        if signal is not None:
            node.health = signal.state
    return graph


@read_access
def lineage_page(request: HttpRequest, env_id: int) -> HttpResponse:
    env = selectors.environment_get(env_id=env_id)
    view = View.from_params(request.GET)
    graph = with_health(env, explore(dag_get(env), view))
    return render(
        request,
        "catalog/lineage.html",
        {"env": env, "view": view, "graph": graph.as_dict()},
    )


@read_access
def lineage_json(request: HttpRequest, env_id: int) -> JsonResponse:
    """The graph a lineage view shows, for the page's script to redraw without a reload."""
    env = selectors.environment_get(env_id=env_id)
    focus = request.GET.get("focus", "")
    if focus:
        graph = node_graph(env, focus, request.GET)
    else:
        graph = with_health(env, explore(dag_get(env), View.from_params(request.GET)))
    return JsonResponse(graph.as_dict())


def impact_table(env: Any, unique_id: str) -> Table:
    """Everything downstream of a node, nearest first, with the owners who would notice."""
    distances, edges = walk(env, {unique_id}, upward=False, depth=None)
    infos = infos_get(env, set(distances) | {unique_id})
    dag = Dag.build(infos.values(), [(p, c) for p, c in edges if c in infos])
    result = impact(dag, unique_id)
    rows = [
        {
            "distance": level,
            "node": {"unique_id": info.unique_id, "name": info.name},
            "type": info.resource_type,
            "owner": info.owner,
            "group": info.group,
            "status": info.status,
            "folder": info.folder,
        }
        for level, nodes in result.levels
        for info in nodes
    ]
    return Table(
        name="impact",
        title="Downstream of this resource",
        columns=(
            Col("distance", "Distance", "number"),
            Col("node", "Resource", "node"),
            Col("type", "Type"),
            Col("owner", "Owner"),
            Col("group", "Group"),
            Col("status", "Last run"),
            Col("folder", "Folder"),
        ),
        rows=rows,
        default_sort="distance",
        note=(
            f"{result.total} resources downstream, {len(result.exposures)} exposures"
            + (f"; owners to tell: {', '.join(result.owners)}" if result.owners else "")
        ),
        extra={"exposures": result.exposures, "owners": result.owners},
    )


@read_access
def quality_page(request: HttpRequest, env_id: int) -> HttpResponse:
    env = selectors.environment_get(env_id=env_id)
    table = table_apply(
        quality.quality_report(environment=env, view=request.GET.get("view", "failing")),
        request.GET.dict(),
    )
    if request.GET.get("format") == "csv":
        return table_csv(table, f"lantern-{env.name}-{table.name}.csv")
    return render(
        request,
        "catalog/quality.html",
        {
            "env": env,
            "table": table,
            "views": quality.VIEWS,
            "summary": quality.quality_summary(environment=env),
        },
    )


# --------------------------------------------------------------------------------------------
# Runs and performance


@read_access
def runs_page(request: HttpRequest, env_id: int) -> HttpResponse:
    env = selectors.environment_get(env_id=env_id)
    kind = request.GET.get("kind", "")
    page = Paginator(history.run_list(environment=env, kind=kind), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "catalog/runs.html", {"env": env, "page": page, "kind": kind})


@read_access
def run_detail(request: HttpRequest, env_id: int, run_id: int) -> HttpResponse:
    env = selectors.environment_get(env_id=env_id)
    run = history.run_get(environment=env, run_id=run_id)
    timings, started, path = history.run_timings(run=run)
    gantt, drawn = history.run_chart(
        run=run, node_url=lambda uid: reverse("catalog-node", args=[env.pk, uid])
    )
    rows = Paginator(timings, 200).get_page(request.GET.get("page"))
    executions = run.executions.order_by("unique_id").only(
        "unique_id", "status", "execution_time", "failures", "message", "thread_id"
    )
    return render(
        request,
        "catalog/run.html",
        {
            "env": env,
            "run": run,
            "timings": timings,
            "rows": rows,
            "drawn": drawn,
            "started": started,
            "gantt": gantt,
            "path": path,
            "path_seconds": sum(t.seconds for t in timings if t.critical),
            "executions": executions if not timings else None,
            "freshness": run.freshness_results.order_by("unique_id")
            if run.kind == "freshness"
            else None,
        },
    )


@read_access
def performance_page(request: HttpRequest, env_id: int) -> HttpResponse:
    env = selectors.environment_get(env_id=env_id)
    try:
        days = int(request.GET.get("days", "30"))
    except ValueError:
        days = 30
    if days not in history.WINDOWS:
        days = 30
    view = request.GET.get("view", "slowest")
    table = table_apply(
        history.performance_table(environment=env, days=days, view=view), request.GET.dict()
    )
    if request.GET.get("format") == "csv":
        return table_csv(table, f"lantern-{env.name}-{table.name}-{days}d.csv")
    runs = history.run_series(environment=env, days=days)
    model = request.GET.get("model", "")
    model_points = (
        history.model_series(environment=env, unique_id=model, days=days) if model else []
    )
    return render(
        request,
        "catalog/performance.html",
        {
            "env": env,
            "days": days,
            "windows": history.WINDOWS,
            "view": table.name,
            "table": table,
            "runs_chart": charts.timeline(runs),
            "runs": runs,
            "model": model,
            "model_chart": charts.timeline(model_points),
            "model_points": model_points,
            "model_trend": charts.trend_share(model_points),
        },
    )


# --------------------------------------------------------------------------------------------
# Data health tiles: the one route that other sites may frame


def tile_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Tiles are public with LANTERN_TILES_PUBLIC (or ANONYMOUS_READ), else need a login.

    A tile lives in someone else's dashboard, where a login redirect inside an iframe helps
    nobody: without access it answers 401 with a line saying which setting opens it.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        allowed = settings.LANTERN_TILES_PUBLIC or settings.ANONYMOUS_READ
        if not (allowed or request.user.is_authenticated):
            return HttpResponse(
                "This data health tile needs a login, or LANTERN_TILES_PUBLIC=true.",
                status=401,
                content_type="text/plain; charset=utf-8",
            )
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = "frame-ancestors *"
        response["Cache-Control"] = "max-age=60"
        return response

    return xframe_options_exempt(wrapper)


@tile_access
def tile_page(request: HttpRequest, env_id: int, unique_id: str) -> HttpResponse:
    env = selectors.environment_get(env_id=env_id)
    tile = tiles.tile_get(environment=env, unique_id=unique_id)
    return render(request, "catalog/tile.html", {"env": env, "tile": tile})


@tile_access
def tile_svg(request: HttpRequest, env_id: int, unique_id: str) -> HttpResponse:
    env = selectors.environment_get(env_id=env_id)
    tile = tiles.tile_get(environment=env, unique_id=unique_id)
    return HttpResponse(tiles.badge_svg(tile), content_type="image/svg+xml")


@tile_access
def tile_json(request: HttpRequest, env_id: int, unique_id: str) -> HttpResponse:
    env = selectors.environment_get(env_id=env_id)
    return JsonResponse(tiles.tile_get(environment=env, unique_id=unique_id).as_json())


# --------------------------------------------------------------------------------------------
# What changed


def _ingest_param(request: HttpRequest, name: str, choices: list[Any]) -> Any:
    try:
        wanted = int(request.GET.get(name, ""))
    except ValueError:
        return None
    return next((i for i in choices if i.pk == wanted), None)


@read_access
def changes_page(request: HttpRequest, env_id: int) -> HttpResponse:
    env = selectors.environment_get(env_id=env_id)
    loads = list(changes.loads(environment=env).select_related("project")[:200])
    until = _ingest_param(request, "to", loads) or (loads[0] if loads else None)
    since = _ingest_param(request, "from", loads)
    if since is None and until is not None:
        older = [i for i in loads if (i.started_at, i.pk) < (until.started_at, until.pk)]
        since = older[0] if older else None
    diff = changes.diff(environment=env, since=since, until=until) if until else []
    node = request.GET.get("node", "")
    detail = next((c for c in diff if c.unique_id == node), None) if node else None
    return render(
        request,
        "catalog/changes.html",
        {
            "env": env,
            "loads": loads,
            "since": since,
            "until": until,
            "added": [c for c in diff if c.change == "added"],
            "removed": [c for c in diff if c.change == "removed"],
            "modified": [c for c in diff if c.change == "modified"],
            "detail": detail,
            # the first load of a project is the baseline: it records no changes
            "baseline_only": since is None and not diff,
        },
    )

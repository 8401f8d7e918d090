from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from catalog import selectors

PAGE_SIZE = 100


def read_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pages need a login unless the deployment allows anonymous read-only access."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (settings.ANONYMOUS_READ or request.user.is_authenticated):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


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
    resource_type = request.GET.get("type", "")
    paginator = Paginator(
        selectors.node_list(environment=env, resource_type=resource_type), PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/environment.html",
        {
            "env": env,
            "counts": selectors.environment_counts(environment=env),
            "resource_type": resource_type,
            "page": page,
            "ingest": selectors.ingest_latest(environment=env),
        },
    )


@read_access
def node_detail(request: HttpRequest, env_id: int, unique_id: str) -> HttpResponse:
    env = selectors.environment_get(env_id=env_id)
    node = selectors.node_get(
        environment=env, unique_id=unique_id, project=request.GET.get("project", "")
    )
    return render(
        request,
        "catalog/node.html",
        {
            "env": env,
            "node": node,
            "columns": selectors.node_columns(node=node),
            "parents": selectors.node_parents(node=node),
            "children": selectors.node_children(node=node),
        },
    )

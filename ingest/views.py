"""The doors into an environment besides `manage.py ingest`: uploads and dbt Cloud webhooks
(JSON APIs), and the pages to watch loads and syncs and to configure an environment."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from catalog import selectors
from catalog.models import Environment, Ingest
from catalog.tokens import TokenRefused, api_token_from_header
from catalog.views import may_read, read_access
from ingest.forms import EnvironmentSettingsForm
from ingest.services import IngestError, sync_environment_queue
from ingest.uploads import UploadTooLarge, upload_queue
from ingest.webhooks import WebhookRefused, webhook_receive

UPLOAD_PERMISSION = "catalog.add_ingest"
MULTIPART_OVERHEAD = 64 * 1024


def _error(status: int, message: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    for key, value in headers.items():
        response[key.replace("_", "-")] = value
    return response


def ingest_json(ingest: Ingest) -> dict[str, Any]:
    return {
        "ingest_id": ingest.pk,
        "environment_id": ingest.environment_id,
        "source": ingest.source,
        "status": ingest.status,
        "progress": ingest.progress,
        "counts": ingest.counts,
        "warnings": ingest.warnings,
        "error": ingest.error,
        "started_at": ingest.started_at.isoformat() if ingest.started_at else None,
        "finished_at": ingest.finished_at.isoformat() if ingest.finished_at else None,
        "duration": ingest.duration,
        "status_url": reverse("api-ingest", args=[ingest.pk]),
        "page_url": reverse("ingest-sync", args=[ingest.environment_id, ingest.pk]),
    }


# --------------------------------------------------------------------------------------------
# JSON APIs


@csrf_exempt
@require_POST
def artifacts_upload(request: HttpRequest, env_id: int) -> JsonResponse:
    """POST /api/environments/<id>/artifacts: multipart artifact files, loaded on a worker."""
    try:
        token = api_token_from_header(header=request.headers.get("Authorization", ""))
    except TokenRefused as e:
        return _error(401, str(e), WWW_Authenticate="Bearer")
    if token is None:
        return _error(
            401, "send 'Authorization: Bearer <Lantern API token>'", WWW_Authenticate="Bearer"
        )
    if not token.user.has_perm(UPLOAD_PERMISSION):
        return _error(403, f'the token\'s user "{token.user}" may not load artifacts')
    environment = Environment.objects.filter(pk=env_id).first()
    if environment is None:
        return _error(404, f"there is no environment {env_id}")
    # Refused before the body is read when its declared size says so (multipart adds a little).
    declared, limit = (
        int(request.META.get("CONTENT_LENGTH") or 0),
        settings.LANTERN_UPLOAD_MAX_BYTES,
    )
    if declared > limit + MULTIPART_OVERHEAD:
        return _error(
            413,
            f"the upload is {declared:,} bytes, more than the {limit:,} allowed "
            "(LANTERN_UPLOAD_MAX_MB)",
        )
    try:
        ingest = upload_queue(
            environment=environment,
            files={name: request.FILES.getlist(name) for name in request.FILES},
            project_name=request.POST.get("project", ""),
        )
    except UploadTooLarge as e:
        return _error(413, str(e))
    except IngestError as e:
        return _error(400, str(e))
    ingest.refresh_from_db()  # without a broker it has already run
    return JsonResponse(ingest_json(ingest), status=202)


@require_GET
def ingest_status(request: HttpRequest, ingest_id: int) -> JsonResponse:
    """GET /api/ingests/<id>: how a load or sync is going (token, or the pages' read access)."""
    try:
        token = api_token_from_header(header=request.headers.get("Authorization", ""))
    except TokenRefused as e:
        return _error(401, str(e), WWW_Authenticate="Bearer")
    if token is None and not may_read(request):
        return _error(
            401, "send 'Authorization: Bearer <Lantern API token>'", WWW_Authenticate="Bearer"
        )
    ingest = Ingest.objects.filter(pk=ingest_id).first()
    if ingest is None:
        return _error(404, f"there is no ingest {ingest_id}")
    return JsonResponse(ingest_json(ingest))


@csrf_exempt
@require_POST
def dbt_cloud_webhook(request: HttpRequest) -> JsonResponse:
    """POST /api/webhooks/dbt-cloud: a job run ended in dbt Cloud; sync that run."""
    try:
        outcome = webhook_receive(
            body=request.body, signature=request.headers.get("Authorization", "")
        )
    except WebhookRefused as e:
        return _error(e.status, str(e))
    body: dict[str, Any] = {"status": "queued" if outcome.ingest else "ignored"}
    body["message"] = outcome.message
    if outcome.ingest is not None:
        body["ingest_id"] = outcome.ingest.pk
        body["status_url"] = reverse("api-ingest", args=[outcome.ingest.pk])
    return JsonResponse(body, status=outcome.status)


# --------------------------------------------------------------------------------------------
# Pages


@read_access
def syncs_page(request: HttpRequest, env_id: int) -> HttpResponse:
    """Every load and sync of an environment, newest first."""
    env = selectors.environment_get(env_id=env_id)
    ingests = Ingest.objects.filter(environment=env).select_related("project")
    page = Paginator(ingests.order_by("-started_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "ingest/syncs.html", {"env": env, "page": page})


@read_access
def sync_page(request: HttpRequest, env_id: int, ingest_id: int) -> HttpResponse:
    """One load or sync, with a progress bar that follows it live while it runs."""
    env = selectors.environment_get(env_id=env_id)
    ingest = get_object_or_404(Ingest, pk=ingest_id, environment=env)
    return render(
        request,
        "ingest/sync.html",
        {"env": env, "ingest": ingest, "state": ingest_json(ingest)},
    )


@staff_member_required
def settings_page(request: HttpRequest, env_id: int) -> HttpResponse:
    """Where an environment is fed from; its dbt Cloud token and webhook secret (write-only)."""
    env = selectors.environment_get(env_id=env_id)
    form = EnvironmentSettingsForm(request.POST or None, instance=env)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect(reverse("ingest-settings", args=[env.pk]) + "?saved=1")
    return render(
        request,
        "ingest/settings.html",
        {
            "env": env,
            "form": form,
            "saved": request.GET.get("saved") == "1",
            "webhook_url": request.build_absolute_uri(reverse("api-webhook-dbt-cloud")),
            "upload_url": request.build_absolute_uri(reverse("api-upload", args=[env.pk])),
        },
    )


@staff_member_required
@require_POST
def sync_now(request: HttpRequest, env_id: int) -> HttpResponse:
    """Queue a sync of a dbt Cloud environment and follow it on its page."""
    env = selectors.environment_get(env_id=env_id)
    if env.feed != Environment.Feed.DBT_CLOUD:
        return redirect(reverse("ingest-settings", args=[env.pk]))
    ingest = sync_environment_queue(environment=env)
    return redirect(reverse("ingest-sync", args=[env.pk, ingest.pk]))

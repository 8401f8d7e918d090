from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from catalog.models import ApiToken, Environment, Ingest, Node, Project, Run
from catalog.tokens import api_token_revoke


@admin.register(Environment)
class EnvironmentAdmin(admin.ModelAdmin):
    list_display = ("name", "feed", "is_default", "last_loaded_at")
    fields = (
        "name",
        "description",
        "is_default",
        "feed",
        "discovery_url",
        "dbt_account_id",
        "dbt_environment_id",
        "token_env_var",
    )


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "environment", "dbt_version", "adapter_type", "loaded_at")
    list_filter = ("environment",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ingest)
class IngestAdmin(admin.ModelAdmin):
    list_display = ("id", "environment", "project", "source", "status", "started_at", "duration")
    list_filter = ("status", "source", "environment")
    readonly_fields = [f.name for f in Ingest._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ("invocation_id", "environment", "kind", "command", "generated_at", "has_errors")
    list_filter = ("kind", "has_errors", "environment")
    readonly_fields = [f.name for f in Run._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Node)
class NodeAdmin(admin.ModelAdmin):
    list_display = ("unique_id", "resource_type", "environment", "owner_name")
    list_filter = ("resource_type", "environment")
    search_fields = ("unique_id", "name")
    list_select_related = ("environment",)
    raw_id_fields = ("last_execution", "last_success_execution", "last_freshness")
    readonly_fields = [f.name for f in Node._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are listed and revoked here; `manage.py createtoken` makes them (shown once)."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("prefix", "name", "user__username")
    list_select_related = ("user",)
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "prefix", "created_at", "last_used_at", "revoked_at")
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = api_token_revoke(tokens=queryset)
        self.message_user(request, f"{count} token(s) revoked.")

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from catalog.models import ApiToken, Environment, Ingest, Node, Project, Run
from catalog.tokens import api_token_revoke


@admin.register(Environment)
class EnvironmentAdmin(admin.ModelAdmin):
    """The settings page's form: the token and webhook secret are write-only here too."""

    list_display = ("name", "feed", "is_default", "sync_schedule", "last_loaded_at")
    readonly_fields = ("token_stored", "webhook_secret_stored")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):  # type: ignore[no-untyped-def]
        from ingest.forms import EnvironmentSettingsForm

        kwargs["form"] = EnvironmentSettingsForm
        kwargs["fields"] = None
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        from ingest.forms import EnvironmentSettingsForm

        form = EnvironmentSettingsForm
        return [*form._meta.fields, *form.declared_fields, *self.readonly_fields]  # type: ignore[misc]

    @admin.display(description="dbt Cloud token stored")
    def token_stored(self, obj: Environment) -> str:
        return "set" if obj.token_encrypted else "not set"

    @admin.display(description="Webhook secret stored")
    def webhook_secret_stored(self, obj: Environment) -> str:
        return "set" if obj.webhook_secret_encrypted else "not set"

    def save_model(self, request: HttpRequest, obj: Environment, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        form.apply(obj)

    def delete_model(self, request: HttpRequest, obj: Environment) -> None:
        from ingest.schedules import environment_schedule_remove

        environment_schedule_remove(environment_id=obj.pk)
        super().delete_model(request, obj)


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

"""The environment settings form, shared by the settings page and the admin.

The dbt Cloud token and the webhook secret are write-only: the form never renders them (only
whether one is set); an empty field keeps the stored value, a ticked "clear" removes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from catalog.models import Environment
from ingest.schedules import cron_parse, environment_schedule_apply
from ingest.secrets import environment_secrets_set
from ingest.services import IngestError

if TYPE_CHECKING:
    ModelForm = forms.ModelForm[Environment]
else:
    ModelForm = forms.ModelForm


class EnvironmentSettingsForm(ModelForm):
    discovery_url = forms.URLField(
        required=False,
        assume_scheme="https",
        label="Discovery API URL",
        help_text="e.g. https://ab123.metadata.us1.dbt.com/graphql",
    )
    access_url = forms.CharField(
        required=False,
        label="dbt Cloud access URL",
        help_text="e.g. https://ab123.us1.dbt.com: the Discovery API URL is derived from it "
        "when none is given",
    )
    region = forms.CharField(required=False, help_text="us1, eu2, emea… (with the access URL)")
    job_ids = forms.CharField(
        required=False,
        label="dbt Cloud job ids",
        help_text="Comma-separated: the jobs whose webhooks trigger a sync (empty: every job)",
    )
    token = forms.CharField(
        required=False,
        label="dbt Cloud token",
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="A service token with Metadata Only access. Stored encrypted, never shown "
        "again; leave empty to keep the stored one.",
    )
    clear_token = forms.BooleanField(required=False, label="Remove the stored token")
    webhook_secret = forms.CharField(
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="The secret key dbt Cloud showed when the webhook was created; leave empty "
        "to keep the stored one.",
    )
    clear_webhook_secret = forms.BooleanField(required=False, label="Remove the stored secret")

    class Meta:
        model = Environment
        fields = (
            "name",
            "description",
            "feed",
            "discovery_url",
            "dbt_account_id",
            "dbt_environment_id",
            "token_env_var",
            "sync_schedule",
        )
        help_texts = {
            "token_env_var": "The name of an environment variable of the web and worker "
            "processes holding the token; it wins over a stored token.",
            "sync_schedule": "Cron, UTC (minute hour day month weekday), e.g. 0 6 * * *; "
            "empty: no scheduled sync.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["job_ids"].initial = ", ".join(map(str, self.instance.dbt_job_ids))

    def clean_job_ids(self) -> list[int]:
        text = self.cleaned_data.get("job_ids", "")
        try:
            return [int(part) for part in text.replace(",", " ").split()]
        except ValueError as e:
            raise forms.ValidationError("job ids are whole numbers, separated by commas") from e

    def clean_sync_schedule(self) -> str:
        expression = " ".join(self.cleaned_data.get("sync_schedule", "").split())
        if expression:
            try:
                cron_parse(expression)
            except IngestError as e:
                raise forms.ValidationError(str(e)) from e
        return expression

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        access_url, region = data.get("access_url", ""), data.get("region", "")
        if not data.get("discovery_url") and (access_url or region):
            from ingest.sources.discovery import DiscoveryError, metadata_url

            try:
                data["discovery_url"] = metadata_url(access_url=access_url, region=region)
            except DiscoveryError as e:
                self.add_error("access_url", str(e))
        if data.get("feed") == Environment.Feed.DBT_CLOUD:
            if not data.get("discovery_url"):
                self.add_error(
                    "discovery_url",
                    "a dbt Cloud environment needs a Discovery API URL (or an access URL)",
                )
            if data.get("dbt_environment_id") is None:
                self.add_error("dbt_environment_id", "a dbt Cloud environment needs its id")
        elif data.get("sync_schedule"):
            self.add_error("sync_schedule", "only an environment fed by dbt Cloud can sync")
        return data

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        if "job_ids" in self.cleaned_data:
            self.instance.dbt_job_ids = self.cleaned_data["job_ids"]

    def apply(self, environment: Environment) -> None:
        """Store the write-only secrets and bring the schedule in step (after the row is saved)."""
        data = self.cleaned_data
        token = "" if data.get("clear_token") else (data.get("token") or None)
        secret = "" if data.get("clear_webhook_secret") else (data.get("webhook_secret") or None)
        environment_secrets_set(environment=environment, token=token, webhook_secret=secret)
        environment_schedule_apply(environment=environment)

    def save(self, commit: bool = True) -> Environment:
        environment: Environment = super().save(commit=commit)
        if commit:
            self.apply(environment)
        return environment

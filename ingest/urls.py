from django.urls import path

from ingest import views

api = [
    path("environments/<int:env_id>/artifacts", views.artifacts_upload, name="api-upload"),
    path("ingests/<int:ingest_id>", views.ingest_status, name="api-ingest"),
    path("webhooks/dbt-cloud", views.dbt_cloud_webhook, name="api-webhook-dbt-cloud"),
]

pages = [
    path("syncs", views.syncs_page, name="ingest-syncs"),
    path("syncs/<int:ingest_id>", views.sync_page, name="ingest-sync"),
    path("settings", views.settings_page, name="ingest-settings"),
    path("settings/sync", views.sync_now, name="ingest-sync-now"),
]

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from catalog import views as catalog_views
from catalog.graphql.views import graphql_view
from ingest import urls as ingest_urls

urlpatterns = [
    path("", catalog_views.home, name="home"),
    path("healthz", catalog_views.healthz, name="healthz"),
    path("env/<int:env_id>/", include("catalog.urls")),
    path("env/<int:env_id>/", include(ingest_urls.pages)),
    path("api/", include(ingest_urls.api)),
    # The Discovery-API-compatible endpoint; some clients post to the trailing slash.
    path("graphql", graphql_view, name="graphql"),
    path("graphql/", graphql_view),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]

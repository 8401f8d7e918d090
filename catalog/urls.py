from django.urls import path

from catalog import views

# /env/<env_id>/
urlpatterns = [
    path("", views.environment_home, name="catalog-environment"),
    path("nodes/<path:unique_id>", views.node_detail, name="catalog-node"),
]

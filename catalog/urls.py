from django.urls import path

from catalog import views

# /env/<env_id>/
urlpatterns = [
    path("", views.environment_home, name="catalog-environment"),
    path("nodes", views.node_list, name="catalog-list"),
    path("nodes/<path:unique_id>", views.node_detail, name="catalog-node"),
    # A unique_id holds no "/" (str), a column name may (path).
    path("columns/<str:unique_id>/<path:column>", views.column_detail, name="catalog-column"),
    path("browse", views.browse, name="catalog-browse"),
    path("search", views.search_page, name="catalog-search"),
    path("search/suggest", views.search_suggest, name="catalog-suggest"),
    path("governance", views.governance_page, name="catalog-governance"),
    path("quality", views.quality_page, name="catalog-quality"),
    path("runs", views.runs_page, name="catalog-runs"),
    path("runs/<int:run_id>", views.run_detail, name="catalog-run"),
    path("performance", views.performance_page, name="catalog-performance"),
    path("changes", views.changes_page, name="catalog-changes"),
    # unique_ids hold dots, names do not: ".svg" and ".json" end the id (these come first)
    path("tiles/<str:unique_id>.svg", views.tile_svg, name="catalog-tile-svg"),
    path("tiles/<str:unique_id>.json", views.tile_json, name="catalog-tile-json"),
    path("tiles/<str:unique_id>", views.tile_page, name="catalog-tile"),
    path("lineage", views.lineage_page, name="catalog-lineage"),
    path("lineage.json", views.lineage_json, name="catalog-lineage-json"),
    path("column-lineage", views.column_lineage_page, name="catalog-column-lineage"),
]

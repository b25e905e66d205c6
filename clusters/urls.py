from django.urls import path

from clusters import views
from clusters.models import Category

app_name = "clusters"

urlpatterns = [
    path("annuaire/", views.DirectoryView.as_view(), name="directory"),
    path("annuaire/export.csv", views.directory_export, {"fmt": "csv"}, name="directory_csv"),
    path(
        "annuaire/export.geojson",
        views.directory_export,
        {"fmt": "geojson"},
        name="directory_geojson",
    ),
    path("annuaire/export.xlsx", views.directory_export, {"fmt": "xlsx"}, name="directory_xlsx"),
    path(
        "annuaire/liens.geojson",
        views.directory_export,
        {"fmt": "links"},
        name="directory_links_geojson",
    ),
    path("annuaire/autocompletion/", views.entry_autocomplete, name="entry_autocomplete"),
    path(
        "annuaire/structures/<slug:slug>/",
        views.EntryDetailView.as_view(category=Category.STRUCTURE),
        name="structure_detail",
    ),
    path(
        "annuaire/structures/<slug:slug>/modifier/",
        views.EntryEditView.as_view(category=Category.STRUCTURE),
        name="structure_edit",
    ),
    path(
        "annuaire/structures/<slug:slug>/contacter/",
        views.EntryContactView.as_view(category=Category.STRUCTURE),
        name="structure_contact",
    ),
    path(
        "annuaire/territoires/<slug:slug>/contacter/",
        views.EntryContactView.as_view(category=Category.TERRITORY),
        name="territory_contact",
    ),
    path(
        "annuaire/territoires/<slug:slug>/",
        views.EntryDetailView.as_view(category=Category.TERRITORY),
        name="territory_detail",
    ),
    path(
        "annuaire/territoires/<slug:slug>/modifier/",
        views.EntryEditView.as_view(category=Category.TERRITORY),
        name="territory_edit",
    ),
    path("pratiques/", views.PracticeListView.as_view(), name="practice_list"),
    path("pratiques/export.csv", views.practice_export, {"fmt": "csv"}, name="practice_csv"),
    path(
        "pratiques/export.geojson",
        views.practice_export,
        {"fmt": "geojson"},
        name="practice_geojson",
    ),
    path("pratiques/export.xlsx", views.practice_export, {"fmt": "xlsx"}, name="practice_xlsx"),
    path("pratiques/proposer/", views.PracticeProposeView.as_view(), name="practice_propose"),
    path("pratiques/<slug:slug>/", views.PracticeDetailView.as_view(), name="practice_detail"),
    path("carte/", views.MapView.as_view(), name="map"),
    path("carte/donnees.geojson", views.map_data, name="map_data"),
]

from django.urls import path

from core import views

app_name = "exports"

urlpatterns = [
    path("<str:token>/", views.export_progress, name="progress"),
    path("<str:token>/fichier/", views.export_download, name="download"),
]

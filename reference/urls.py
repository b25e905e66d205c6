from django.urls import path

from reference import views

app_name = "reference"

urlpatterns = [
    path("lieux/autocompletion/", views.place_autocomplete, name="place_autocomplete"),
]

from django.urls import include, path

from surveys import designer, views

app_name = "surveys"


def answering(prefix: str):
    """The answering pages, the same for each door (link, representative, preview)."""
    return [
        path("", views.StartView.as_view(), name=prefix),
        path("section/<int:number>/", views.SectionView.as_view(), name=f"{prefix}_section"),
        path("relecture/", views.ReviewView.as_view(), name=f"{prefix}_review"),
        path("envoyer/", views.SubmitView.as_view(), name=f"{prefix}_submit"),
        path("merci/", views.ThanksView.as_view(), name=f"{prefix}_thanks"),
    ]


urlpatterns = [
    path("enquetes/", views.survey_index, name="index"),
    path("enquetes/r/<str:token>/", include(answering("answer"))),
    path("enquetes/<slug:slug>/apercu/", include(answering("preview")), {"preview": True}),
    path("enquetes/<slug:slug>/pour/<slug:entry>/", include(answering("rep"))),
    path("enquetes/<slug:slug>/resultats/", views.public_results, name="results"),
    path("enquetes/<slug:slug>/tableau-de-bord/", views.dashboard, name="dashboard"),
    path("enquetes/<slug:slug>/concevoir/", designer.designer, name="designer"),
    path("enquetes/<slug:slug>/export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("enquetes/<slug:slug>/export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
]

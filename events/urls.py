from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("agenda/", views.AgendaView.as_view(), name="agenda"),
    path("agenda.ics", views.agenda_ics, name="agenda_ics"),
    path(
        "agenda/inscription/<str:token>/",
        views.RegistrationByTokenView.as_view(),
        name="registration",
    ),
    path(
        "agenda/inscription/<str:token>/annuler/",
        views.cancel_by_token,
        name="cancel_by_token",
    ),
    path("agenda/mes-inscriptions/<int:pk>/annuler/", views.cancel_mine, name="cancel_mine"),
    path(
        "agenda/propositions/<int:pk>/document.pdf",
        views.proposal_document,
        name="proposal_document",
    ),
    path("agenda/<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("agenda/<slug:slug>.ics", views.event_ics, name="event_ics"),
    path("agenda/<slug:slug>/inscription/", views.RegisterView.as_view(), name="register"),
    path("agenda/<slug:slug>/proposer/", views.ProposalCreateView.as_view(), name="propose"),
    path("agenda/<slug:slug>/accueil/", views.check_in, name="check_in"),
    path(
        "agenda/<slug:slug>/inscrits.csv",
        views.attendees_export,
        {"fmt": "csv"},
        name="attendees_csv",
    ),
    path(
        "agenda/<slug:slug>/inscrits.xlsx",
        views.attendees_export,
        {"fmt": "xlsx"},
        name="attendees_xlsx",
    ),
]

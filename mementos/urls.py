from django.urls import path

from mementos import views

app_name = "mementos"

urlpatterns = [
    path("mementos/", views.memento_list, name="list"),
    path("mementos/flux.atom", views.MementoFeed(), name="feed"),
    path("mementos/relecture/<int:pk>/", views.monograph_review, name="review"),
    path("mementos/<slug:slug>/", views.memento_detail, name="detail"),
    path("mementos/<slug:slug>/memento.pdf", views.memento_pdf, name="pdf"),
    path("mementos/<slug:slug>/couverture/", views.memento_cover, name="cover"),
    path("mementos/<slug:slug>/<slug:monograph>/", views.monograph_detail, name="monograph"),
]

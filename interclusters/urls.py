from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_page

from interclusters import views
from interclusters.sitemaps import SITEMAPS

SITEMAP_CACHE_SECONDS = 60 * 60

admin.site.site_header = _("Interclusters — administration")
admin.site.site_title = _("Administration Interclusters")
admin.site.index_title = _("Back-office du programme")

account_patterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("connexion/", views.SignInView.as_view(), name="login"),
    path("deconnexion/", views.SignOutView.as_view(), name="logout"),
    path("inscription/", views.SignUpView.as_view(), name="signup"),
    path("profil/", views.ProfileView.as_view(), name="profile"),
    path("mes-donnees.json", views.personal_data, name="personal_data"),
    path("supprimer/", views.AccountDeleteView.as_view(), name="delete"),
    path("mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "a-propos/",
        views.PageView.as_view(template_name="interclusters/about.html"),
        name="about",
    ),
    path(
        "mentions-legales/",
        views.PageView.as_view(template_name="interclusters/legal.html"),
        name="legal",
    ),
    path(
        "donnees-personnelles/",
        views.PageView.as_view(template_name="interclusters/privacy.html"),
        name="privacy",
    ),
    path(
        "accessibilite/",
        views.PageView.as_view(template_name="interclusters/accessibility.html"),
        name="accessibility",
    ),
    path("recherche/", views.search, name="search"),
    path("themes/", views.theme_list, name="theme_list"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme_detail"),
    path("compte/", include((account_patterns, "accounts"))),
    path("", include("reference.urls")),
    path("", include("clusters.urls")),
    path("", include("events.urls")),
    path("", include("surveys.urls")),
    path("", include("mementos.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("telechargements/", include("core.urls")),
    path("admin/", admin.site.urls),
]

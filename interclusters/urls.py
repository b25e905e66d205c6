from allauth.account import views as allauth_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_page

from interclusters import api, views
from interclusters.sitemaps import SITEMAPS

SITEMAP_CACHE_SECONDS = 60 * 60
# django-allauth answers its rate limits with this view.
handler429 = "interclusters.views.account_rate_limited"

admin.site.site_header = _("Interclusters — administration")
admin.site.site_title = _("Administration Interclusters")
admin.site.index_title = _("Back-office du programme")

account_patterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("profil/", views.ProfileView.as_view(), name="profile"),
    path("mes-donnees.json", views.personal_data, name="personal_data"),
    path("supprimer/", views.AccountDeleteView.as_view(), name="delete"),
    path("alertes/", views.AlertListView.as_view(), name="alerts"),
    path("alertes/creer/", views.alert_create, name="alert_create"),
    path("alertes/<int:pk>/", views.alert_update, name="alert_update"),
    path("alertes/<int:pk>/supprimer/", views.alert_delete, name="alert_delete"),
]

# django-allauth's pages keep their names; the main ones get French addresses. Listed
# after allauth's own, they are the ones reverse() gives (the English ones still answer).
allauth_french = [
    path("connexion/", allauth_views.login, name="account_login"),
    path("deconnexion/", allauth_views.logout, name="account_logout"),
    path("inscription/", allauth_views.signup, name="account_signup"),
    path("mot-de-passe/", allauth_views.password_change, name="account_change_password"),
    path("mot-de-passe/oublie/", allauth_views.password_reset, name="account_reset_password"),
    path("adresse/", allauth_views.email, name="account_email"),
    path(
        "confirmation/",
        allauth_views.email_verification_sent,
        name="account_email_verification_sent",
    ),  # fmt: skip
]

# One door: the admin's own sign-in page sends to the portal's (rate limits, second
# factor); a signed-in person without staff rights gets a 403.
admin.site.login = secure_admin_login(admin.site.login)

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
    path("compte/", include("allauth.urls")),
    path("compte/", include(allauth_french)),
    path("", include("reference.urls")),
    path("", include("clusters.urls")),
    path("", include("events.urls")),
    path("", include("surveys.urls")),
    path("", include("mementos.urls")),
    path("api/", api.urls()),
    path("donnees-ouvertes/", views.open_data, name="open_data"),
    path("alertes/desabonnement/<str:token>/", views.alert_unsubscribe, name="alert_unsubscribe"),
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

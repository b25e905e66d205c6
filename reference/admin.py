"""Reference data in the admin: geography to look up, themes and measures to curate."""

from django.contrib import admin

from reference.models import Commune, Department, Epci, FundingMeasure, Region, Theme


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name"]
    list_select_related = ["region"]


@admin.register(Epci)
class EpciAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "population"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "department", "population", "density_level"]
    list_filter = ["department__region", "density_level"]
    search_fields = ["code", "name"]
    list_select_related = ["department"]
    autocomplete_fields = ["department", "epci"]
    show_full_result_count = False


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(FundingMeasure)
class FundingMeasureAdmin(admin.ModelAdmin):
    list_display = ["code", "article", "name", "position"]
    search_fields = ["code", "name"]

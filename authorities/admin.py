from django.contrib import admin

from .models import LocalAuthority, NationalIndicator, Region, RegionalForum


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "government_office", "abbreviation"]
    search_fields = ["name", "government_office"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "gss_code", "region", "la_type", "support_status", "csa", "dcs"]
    list_filter = ["region", "la_type", "support_status"]
    search_fields = ["name", "gss_code"]
    list_select_related = ["region", "csa", "dcs"]
    autocomplete_fields = ["csa", "dcs"]


@admin.register(NationalIndicator)
class NationalIndicatorAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "ecm_outcome"]
    list_filter = ["ecm_outcome"]
    search_fields = ["number", "title"]


@admin.register(RegionalForum)
class RegionalForumAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "chair"]
    list_filter = ["region"]
    search_fields = ["name"]
    filter_horizontal = ["members", "partners"]

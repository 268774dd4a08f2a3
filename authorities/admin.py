from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LocalAuthority, NationalIndicator, Region, RegionalForum


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "government_office", "abbreviation"]
    search_fields = ["name", "government_office"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "gss_code", "region", "la_type", "support_status", "csa", "dcs"]
    list_filter = ["region", "la_type", "support_status"]
    search_fields = ["name", "gss_code"]
    list_select_related = ["region", "csa", "dcs"]
    autocomplete_fields = ["csa", "dcs"]


@admin.register(NationalIndicator)
class NationalIndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "ecm_outcome"]
    list_filter = ["ecm_outcome"]
    search_fields = ["number", "title"]


@admin.register(RegionalForum)
class RegionalForumAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region", "chair"]
    list_filter = ["region"]
    search_fields = ["name"]
    filter_horizontal = ["members", "partners"]

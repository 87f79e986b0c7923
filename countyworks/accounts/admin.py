from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from countyworks.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "organisation", "region", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("CountyWorks"), {"fields": ("role", "region", "organisation", "person")}),
    )
    raw_id_fields = ("region", "organisation", "person")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "scope", "region", "created_at", "revoked_at")
    raw_id_fields = ("user", "region")
    readonly_fields = ("prefix", "key_hash")

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from apps.accounts.models import ApiToken, User
from apps.audit.admin import AuditedAdminMixin, AuditedUserAdminMixin


@admin.register(User)
class UserAdmin(AuditedUserAdminMixin, DjangoUserAdmin):
    list_display = ["username", "display_name", "unit", "role", "is_active", "is_staff", "last_login"]
    list_filter = ["role", "unit", "is_active", "is_staff"]
    list_select_related = ["unit"]
    search_fields = ["username", "last_name", "first_name", "phone", "email"]
    autocomplete_fields = ["unit"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("单位与角色", {"fields": ["unit", "role"]}),
        ("个人信息", {"fields": ["last_name", "first_name", "phone", "email"]}),
        ("权限", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("时间", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "unit", "role", "password1", "password2"]}),
    ]

    @admin.display(description="姓名")
    def display_name(self, obj):
        return obj.display_name


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Tokens are issued through the API only (their secret is shown once); here they can be
    looked at, and deleted to revoke one."""

    list_display = ["user", "created_at", "expires_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    readonly_fields = ["user", "key_hash", "created_at", "expires_at", "last_used_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

from django import forms
from django.contrib import admin
from django.db import transaction

from apps.audit.admin import AuditedAdminMixin
from apps.core.codes import validate_uscc
from apps.core.errors import DomainError
from apps.organisations.models import Organisation, OrganisationAlias, Person


class OrganisationAdminForm(forms.ModelForm):
    # No Meta: the ModelAdmin below supplies the model and the fields.

    def clean_credit_code(self):
        # The admin writes rows directly, so it must refuse what the services refuse.
        code = (self.cleaned_data.get("credit_code") or "").strip()
        if not code:
            return None
        try:
            return validate_uscc(code)
        except DomainError as error:
            raise forms.ValidationError(error.message) from error


class AliasInline(admin.TabularInline):
    model = OrganisationAlias
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = OrganisationAdminForm
    inlines = [AliasInline]
    list_display = ["name", "credit_code", "kind", "industry_section", "region", "is_sample", "is_archived"]
    list_filter = ["kind", "industry_section", "is_sample", "is_archived"]
    search_fields = ["name", "credit_code", "aliases__name"]
    readonly_fields = ["created_by", "created_at", "updated_at", "version"]
    show_full_result_count = False  # a million rows: no COUNT(*) on every page

    def save_related(self, request, form, formsets, change):
        # The admin writes names and aliases directly; the search index must follow them.
        super().save_related(request, form, formsets, change)
        from apps.organisations.names import parse_name
        from apps.organisations.search import index_organisations

        org = form.instance
        parts = parse_name(org.name)
        Organisation.objects.filter(pk=org.pk).update(
            trade_name=parts.trade_name[:50], name_region=parts.region[:50], name_industry=parts.industry[:50],
            name_form=parts.form[:30])
        index_organisations([org.pk])

    # A deleted record's postings would stay in the index: search skips them (it reads the rows), but
    # a two-character count is taken from the index alone (search._key_count) and would count them.
    def delete_model(self, request, obj):
        from apps.organisations.search import unindex_organisations

        row = (obj.pk, obj.search_text)
        with transaction.atomic():
            super().delete_model(request, obj)
            unindex_organisations([row])

    def delete_queryset(self, request, queryset):
        from apps.organisations.search import unindex_organisations

        with transaction.atomic():
            rows = list(queryset.values_list("pk", "search_text"))
            super().delete_queryset(request, queryset)
            unindex_organisations(rows)


@admin.register(Person)
class PersonAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "title", "is_archived"]
    list_filter = ["kind", "is_archived"]
    list_select_related = ["organisation"]
    search_fields = ["name", "organisation__name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["created_by", "created_at"]

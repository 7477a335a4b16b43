from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.organisations.choices import AliasKind, IndustrySection, OrgKind, OrgSize, PersonKind
from apps.organisations.querysets import OrganisationQuerySet, PersonQuerySet


class Organisation(models.Model):
    """目标主体: an enterprise, central SOE, university, institute, association, think tank or fund."""

    name = models.CharField(_("名称"), max_length=200, db_index=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True,
        help_text=_("18位，按GB 32100校验；没有可留空"),
    )
    kind = models.CharField(_("类型"), max_length=20, choices=OrgKind.choices, default=OrgKind.ENTERPRISE)
    region = models.CharField(_("所在地区"), max_length=100, blank=True, help_text=_("如：北京市海淀区"))
    industry_section = models.CharField(_("行业门类"), max_length=1, choices=IndustrySection.choices, blank=True)
    size = models.CharField(_("规模"), max_length=10, choices=OrgSize.choices, blank=True)
    is_fortune500 = models.BooleanField(_("世界500强"), default=False)
    is_specialised = models.BooleanField(_("专精特新"), default=False)
    is_listed = models.BooleanField(_("上市企业"), default=False)
    source = models.CharField(_("来源"), max_length=100, blank=True, help_text=_("如：走访、推介会、新闻线索、数据导入"))
    description = models.TextField(_("简介"), blank=True)
    is_sample = models.BooleanField(_("示例数据"), default=False, editable=False)
    is_archived = models.BooleanField(_("已归档"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("目标主体")
        verbose_name_plural = _("目标主体")

    def __str__(self) -> str:
        return self.name


class OrganisationAlias(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("名称"), max_length=200, db_index=True)
    kind = models.CharField(_("类型"), max_length=10, choices=AliasKind.choices, default=AliasKind.SHORT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="org_alias_unique")]
        verbose_name = _("别名")
        verbose_name_plural = _("别名")

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """人才/联系人: a contact at an organisation, an expert or an academician."""

    name = models.CharField(_("姓名"), max_length=50)
    kind = models.CharField(_("类别"), max_length=20, choices=PersonKind.choices, default=PersonKind.CONTACT)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="people", verbose_name=_("所在单位")
    )
    title = models.CharField(_("职务/职称"), max_length=100, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    notes = models.TextField(_("备注"), blank=True)
    is_archived = models.BooleanField(_("已归档"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self) -> str:
        return self.name

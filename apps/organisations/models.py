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
    # 组织机构代码 (GB 11714), "XXXXXXXX-X": characters 9-17 of a credit code, or entered alone for
    # records that predate credit codes.
    org_code = models.CharField(_("组织机构代码"), max_length=10, blank=True, db_index=True)
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
    # The name's parts (行政区划 + 字号 + 行业/经营特点 + 组织形式), parsed by names.parse_name on every
    # save. Matching compares parts, not strings: "北京信技源信息服务有限公司" and "信技源信息服务（北京）有限公司"
    # share region and 字号.
    trade_name = models.CharField(_("字号"), max_length=50, blank=True)
    name_region = models.CharField(_("名称中的行政区划"), max_length=50, blank=True)
    name_industry = models.CharField(_("行业或经营特点"), max_length=50, blank=True)
    name_form = models.CharField(_("组织形式"), max_length=30, blank=True)
    # A 分公司 is its own record linked to the company it belongs to, never merged into it.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="branches",
        verbose_name=_("所属总公司"),
    )
    # Set when an office admin merges this record into a survivor; merged records leave every list and
    # the search index, and the merge can be undone (OrganisationMerge).
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("已合并到"),
    )
    # Every searchable term (name, 字号, aliases, pinyin initials) in search form, joined by \x1f.
    # The n-gram index (search.py) is derived from it; keeping it lets a re-index delete exactly the old keys.
    search_text = models.TextField(default="", blank=True, editable=False)
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
        # Import matching looks up (字号, region) pairs; see bulk._same_trade_name.
        indexes = [models.Index(fields=["trade_name", "name_region"], name="org_trade_name_region")]
        verbose_name = _("目标主体")
        verbose_name_plural = _("目标主体")

    def __str__(self) -> str:
        return self.name


class SearchKey(models.Model):
    """One posting of the n-gram search index: a key (a character bigram of a term, "^" + a 2-4
    character prefix, "=" + a whole term, "#" + pinyin initials) and the organisation it points to,
    ordered by name length so the first rows of a key are already the best-ranked ones.
    The table is created by migration SQL (WITHOUT ROWID on SQLite, COLLATE "C" on PostgreSQL) and
    written only by search.py; see docs/adr/0006-search-index.md."""

    pk = models.CompositePrimaryKey("key", "name_len", "organisation_id")
    key = models.CharField(max_length=40)
    name_len = models.SmallIntegerField()
    organisation_id = models.IntegerField()

    class Meta:
        managed = False
        db_table = "organisations_searchkey"

    def __str__(self) -> str:
        return f"{self.key} → {self.organisation_id}"


class SearchKeyStat(models.Model):
    """How many postings a bigram has, so a query starts from its rarest bigram. Refreshed after bulk
    imports; stale counts only cost speed, never correctness."""

    key = models.CharField(max_length=40, primary_key=True)
    n = models.IntegerField()

    class Meta:
        managed = False
        db_table = "organisations_searchkeystat"

    def __str__(self) -> str:
        return f"{self.key}: {self.n}"


class OrganisationMerge(models.Model):
    """An office admin merged `merged` into `survivor`. `moved` lists every reference that was re-pointed
    ([app_label.model, pk, field]) and `aliases_added` the alias rows created, so the merge can be undone."""

    survivor = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="merges_in",
                                 verbose_name=_("保留主体"))
    merged = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="merges_out",
                               verbose_name=_("被合并主体"))
    reason = models.CharField(_("合并原因"), max_length=200, blank=True)
    moved = models.JSONField(default=list)
    aliases_added = models.JSONField(default=list)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("操作人"))
    merged_at = models.DateTimeField(_("合并时间"), auto_now_add=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("撤销人"))
    undone_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("主体合并记录")
        verbose_name_plural = _("主体合并记录")

    def __str__(self) -> str:
        return f"{self.merged} → {self.survivor}"


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

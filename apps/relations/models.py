"""Organisation relations, person ties and 以商招商 referrals (issue 8)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.relations.choices import (
    INVERSE_LABEL,
    STORED_KINDS,
    RelationKind,
    RelationSource,
    Strength,
    TieChannel,
    Warmth,
)
from apps.relations.querysets import PersonTieQuerySet, ReferralQuerySet, RelationQuerySet


class Relation(models.Model):
    """`related` is `organisation`'s <kind>: (长安汽车, 某电池公司, 供应商) = "某电池公司是长安汽车的供应商".
    The direction is the order of the pair; customer and subsidiary are stored as the inverse supplier and
    parent row (choices.CANONICAL), so one fact is one row and the unique constraint catches a repeat
    entered from the other side."""

    # Named reverse accessors, not "+": organisations.merge finds the references it re-points through
    # Organisation._meta.related_objects, which leaves hidden ones out.
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE,
                                     related_name="relations_out", verbose_name=_("企业"))
    related = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="relations_in",
                                verbose_name=_("关联企业"))
    kind = models.CharField(_("关系类型"), max_length=20, choices=RelationKind.choices)
    strength = models.PositiveSmallIntegerField(_("强度"), choices=Strength.choices, default=Strength.MEDIUM)
    source = models.CharField(_("来源"), max_length=10, choices=RelationSource.choices, default=RelationSource.MANUAL)
    evidence = models.TextField(_("依据"), blank=True)
    article = models.ForeignKey("intelligence.Article", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("来源报道"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RelationQuerySet.as_manager()

    class Meta:
        ordering = ["-strength", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "related", "kind"], name="relation_unique_pair_kind"),
            models.CheckConstraint(condition=~Q(organisation=F("related")), name="relation_not_self"),
            models.CheckConstraint(condition=Q(kind__in=STORED_KINDS), name="relation_kind_canonical"),
            models.CheckConstraint(condition=Q(strength__gte=1, strength__lte=3), name="relation_strength_1_3"),
        ]
        # 以商招商 reads a landed firm's strongest relations from both ends of the pair: one index per end,
        # each (end, strength, other end), so the bounded top-N comes from the index alone
        # (selectors.proposals_for; bench_relations measures it at 3,000,000 rows).
        indexes = [
            models.Index(fields=["organisation", "-strength", "related"], name="relation_org_strength_idx"),
            models.Index(fields=["related", "-strength", "organisation"], name="relation_rel_strength_idx"),
        ]
        verbose_name = _("企业关系")
        verbose_name_plural = _("企业关系")

    def __str__(self) -> str:
        return f"{self.related} 是 {self.organisation} 的{self.get_kind_display()}"

    def label_from(self, organisation_id: int) -> str:
        """What the *other* organisation is to `organisation_id`: 供应商 from one side, 客户 from the other."""
        if organisation_id == self.organisation_id:
            return str(self.get_kind_display())
        return INVERSE_LABEL[self.kind]

    def other_id(self, organisation_id: int) -> int:
        return self.related_id if organisation_id == self.organisation_id else self.organisation_id


class PersonTie(models.Model):
    """Who knows whom: a person (a 挂职干部, an alumnus, a chamber's secretary …) and an organisation
    they can open a door to, through which channel, how warm."""

    person = models.ForeignKey("organisations.Person", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("人员"))
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE,
                                     related_name="person_ties", verbose_name=_("可联系的主体"))
    channel = models.CharField(_("渠道"), max_length=20, choices=TieChannel.choices)
    warmth = models.PositiveSmallIntegerField(_("熟悉程度"), choices=Warmth.choices, default=Warmth.WARM)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = PersonTieQuerySet.as_manager()

    class Meta:
        ordering = ["-warmth", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation", "channel"], name="persontie_unique"),
            models.CheckConstraint(condition=Q(warmth__gte=1, warmth__lte=3), name="persontie_warmth_1_3"),
        ]
        indexes = [models.Index(fields=["organisation", "-warmth"], name="persontie_org_warmth_idx")]
        verbose_name = _("人脉关系")
        verbose_name_plural = _("人脉关系")

    def __str__(self) -> str:
        return f"{self.person} → {self.organisation}（{self.get_channel_display()}）"


class Referral(models.Model):
    """以商招商 credit: this project came through a landed firm (and the unit that landed it). One per
    project; the relation that suggested it is kept while it exists."""

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, related_name="referral",
                                   verbose_name=_("项目"))
    referring_organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                               related_name="referrals_made", verbose_name=_("引荐企业"))
    referring_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("引荐单位"))
    landed_project = models.ForeignKey("projects.Project", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", verbose_name=_("引荐企业的落地项目"))
    relation = models.ForeignKey(Relation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("依据的关系"))
    relation_label = models.CharField(_("关系"), max_length=20, blank=True,
                                      help_text=_("登记时被引荐企业相对引荐企业的身份，如：供应商"))
    reason = models.CharField(_("推荐理由"), max_length=300, blank=True)
    credited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("登记人"))
    credited_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-credited_at", "-id"]
        indexes = [models.Index(fields=["referring_organisation", "credited_at"], name="referral_org_date_idx"),
                   models.Index(fields=["referring_unit", "credited_at"], name="referral_unit_date_idx")]
        verbose_name = _("以商招商引荐")
        verbose_name_plural = _("以商招商引荐")

    def __str__(self) -> str:
        return f"{self.referring_organisation} → {self.project}"

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.money import CURRENCY_CHOICES, foreign_note
from apps.projects.choices import AgreementType, ChainRole, Confidentiality, Priority, Stage
from apps.projects.querysets import ProjectQuerySet


class Project(models.Model):
    """招商项目 (a lead until it is qualified). Its stage moves only through
    services.project_change_stage, which writes a StageChange for every move."""

    name = models.CharField(_("项目名称"), max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="projects", verbose_name=_("目标主体")
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="projects", verbose_name=_("承接区县"))
    source_unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="sourced_projects",
        verbose_name=_("线索来源单位"),
    )
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.LEAD, db_index=True)
    paused_from = models.CharField(_("暂缓前阶段"), max_length=20, choices=Stage.choices, blank=True)
    first_contact_date = models.DateField(_("首次接触日期"))
    planned_investment = models.DecimalField(_("计划投资（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    cluster = models.ForeignKey(
        "chains.Cluster", null=True, blank=True, on_delete=models.PROTECT, related_name="projects",
        verbose_name=_("33618产业集群"),
    )
    chain_role = models.CharField(_("链上作用"), max_length=20, choices=ChainRole.choices, blank=True)
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="specialist_projects",
        verbose_name=_("服务专员"),
    )
    priority = models.CharField(_("重要程度"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    confidentiality = models.CharField(_("密级"), max_length=20, choices=Confidentiality.choices, default=Confidentiality.NORMAL)
    protected_until = models.DateField(_("首谈保护期至"), null=True, blank=True)
    description = models.TextField(_("项目简介"), blank=True)
    # Stage-gated facts (see stages.STAGE_REQUIREMENTS).
    signed_date = models.DateField(_("签约日期"), null=True, blank=True)
    agreement_type = models.CharField(_("协议类型"), max_length=20, choices=AgreementType.choices, blank=True)
    signed_amount = models.DecimalField(_("签约金额（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    # Set when the signed amount came from a signing in another currency (events.Signing); an amount
    # typed in yuan puts them back to 人民币.
    signed_currency = models.CharField(_("签约币种"), max_length=3, choices=CURRENCY_CHOICES, default="CNY")
    signed_original_amount = models.DecimalField(_("签约原币金额"), max_digits=18, decimal_places=2, null=True,
                                                 blank=True)
    signed_exchange_rate = models.DecimalField(_("签约折算汇率（元）"), max_digits=14, decimal_places=6, null=True,
                                               blank=True)
    registered_entity = models.CharField(_("注册主体名称"), max_length=200, blank=True)
    registered_credit_code = models.CharField(_("注册主体统一社会信用代码"), max_length=18, blank=True)
    registered_date = models.DateField(_("注册日期"), null=True, blank=True)
    construction_start_date = models.DateField(_("开工日期"), null=True, blank=True)
    production_date = models.DateField(_("投产日期"), null=True, blank=True)
    stage_changed_at = models.DateTimeField(_("阶段变更时间"), null=True, blank=True)

    is_sample = models.BooleanField(_("示例数据"), default=False, editable=False)
    is_archived = models.BooleanField(_("已归档"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "stage"], name="project_unit_stage_idx"),
            models.Index(fields=["organisation", "stage"], name="project_org_stage_idx"),
            # The cockpit's figures for a period (签约、注册落地、投产): a range of days, not the whole table.
            # The signed projects' figures and breakdowns (by unit, source, cluster, chain role) come from
            # the index alone: it holds only the signed projects, so carrying these columns costs little.
            models.Index(fields=["signed_date", "is_archived", "signed_amount", "unit", "source_unit", "cluster",
                                 "chain_role"],
                         condition=models.Q(signed_date__isnull=False), name="project_signed_date_idx"),
            models.Index(fields=["registered_date"], condition=models.Q(registered_date__isnull=False),
                         name="project_registered_date_idx"),
            models.Index(fields=["production_date"], condition=models.Q(production_date__isnull=False),
                         name="project_production_date_idx"),
            # The few archived projects, which every figure leaves out (cockpit.selectors.of_counted_projects).
            models.Index(fields=["id"], condition=models.Q(is_archived=True), name="project_archived_idx"),
            # Live projects by stage (the cockpit's pipeline) from the index alone. Partial on purpose: a
            # full (stage, is_archived) index is what SQLite, without statistics for this table, then
            # also reads end to end to list the archived projects, instead of project_archived_idx.
            models.Index(fields=["stage"], condition=models.Q(is_archived=False), name="project_live_stage_idx"),
            # The project list's default order (most recently changed first) read from an index: without it
            # the first page of 200,000 live projects sorted them all (1.7 s a request on SQLite; the list
            # is the page opened most on a signing day).
            models.Index(F("updated_at").desc(), F("id").desc(), condition=models.Q(is_archived=False),
                         name="project_live_recent_idx"),
            # One unit's live projects, most recently changed first (the list filtered by 承接区县), and the
            # live count per unit (the units page) from the index alone. Through the plain unit index every
            # row was read from the table for is_archived and then sorted: at 200,000 projects on SQLite the
            # units page took 1.3 s and a unit's first page 0.2 s; with this one 0.1 s and 0.1 ms.
            models.Index(F("unit"), F("updated_at").desc(), F("id").desc(), condition=models.Q(is_archived=False),
                         name="project_live_unit_idx"),
            # The board's columns: each stage's live projects, most recently moved first (0.1–0.5 s a column
            # at 200,000 projects on SQLite without it).
            models.Index(F("stage"), F("stage_changed_at").desc(), F("id").desc(), condition=models.Q(is_archived=False),
                         name="project_live_stage_recent_idx"),
            # The few signed in another currency, whose rates every amount figure states.
            models.Index(fields=["signed_date"], condition=~models.Q(signed_currency="CNY"),
                         name="project_foreign_signed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(signed_currency="CNY", signed_original_amount__isnull=True,
                                    signed_exchange_rate__isnull=True)
                           | (~models.Q(signed_currency="CNY")
                              & models.Q(signed_exchange_rate__gt=0, signed_original_amount__gt=0))),
                name="project_signed_currency_complete"),
        ]
        verbose_name = _("招商项目")
        verbose_name_plural = _("招商项目")

    def __str__(self) -> str:
        return self.name

    @property
    def signed_foreign_note(self) -> str:
        """（3亿美元，按1美元=7.1元折算）after the signed amount when it was signed in another currency."""
        return foreign_note(self.signed_currency, self.signed_original_amount, self.signed_exchange_rate)


class StageChange(models.Model):
    """One move of a project's stage: who, when, from, to, why, with what evidence."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("项目"))
    from_stage = models.CharField(_("原阶段"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=20, choices=Stage.choices)
    # When it happened (a signing last week entered today), as distinct from changed_at, when it
    # was recorded. Reports by month count occurred_on.
    occurred_on = models.DateField(_("发生日期"), default=timezone.localdate)
    changed_at = models.DateTimeField(_("变更时间"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("变更人")
    )
    note = models.TextField(_("说明"), blank=True)
    skip_reason = models.TextField(_("跨阶段理由"), blank=True)
    evidence = models.TextField(_("佐证"), blank=True, help_text=_("协议编号、营业执照、开工报告等"))
    evidence_file = models.FileField(_("佐证附件"), upload_to="evidence/%Y/%m/", blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        # The cockpit's 达成意向: moves into 意向/协议 in a period. Partial, so that it serves only that
        # question: SQLite, which keeps no statistics for these tables, would otherwise also pick it for
        # the funnel's "reached 意向/协议 or later" and read every later move (1 s instead of 50 ms).
        # to_stage is a column too because SQLite checks a partial index's condition against the table
        # row unless the index holds the column.
        indexes = [models.Index(fields=["occurred_on", "project", "to_stage"], condition=models.Q(to_stage="intention"),
                                name="stagechange_intention_date_idx")]
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")

    def __str__(self) -> str:
        return f"{self.project}: {self.get_from_stage_display()} → {self.get_to_stage_display()}"


class ArbitrationStatus(models.TextChoices):
    PENDING = "pending", _("待驻京办协调")
    GRANTED = "granted", _("同意：原单位保护期终止")
    REJECTED = "rejected", _("不同意：维持原保护期")
    WITHDRAWN = "withdrawn", _("已撤回")


class ClaimArbitrationQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = "view"):
        """The office (and leaders, reading) sees every request; a unit sees the requests it made and
        those against its own projects. Only the office decides (permissions.may_decide_arbitrations)."""
        from apps.accounts.permissions import actor_scope

        scope = actor_scope(actor)
        if scope.user_id is None:
            return self.none()
        if scope.all_units:
            return self.all()
        return self.filter(models.Q(requesting_unit_id__in=scope.unit_ids)
                           | models.Q(holder_project__unit_id__in=scope.unit_ids))


class ClaimArbitration(models.Model):
    """协调: a unit refused by 首谈负责制 asks the office to decide. Granted ends the holder's
    protection (there is one owner, never 共同跟进); rejected leaves it as it is."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="claim_arbitrations",
        verbose_name=_("目标主体"),
    )
    requesting_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("申请单位"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    holder_project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="arbitrations",
                                       verbose_name=_("原跟进项目"))
    # The holder's protection when the request was filed, and when it was decided: what was at stake.
    holder_protected_until = models.DateField(_("申请时保护期至"), null=True, blank=True)
    reason = models.TextField(_("申请理由"))
    status = models.CharField(_("状态"), max_length=20, choices=ArbitrationStatus.choices,
                              default=ArbitrationStatus.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("处理人"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_note = models.TextField(_("处理意见"), blank=True)

    objects = ClaimArbitrationQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One open request per unit and organisation: a second click or a second colleague queues
            # behind the first instead of filing again.
            models.UniqueConstraint(fields=["organisation", "requesting_unit"],
                                    condition=models.Q(status="pending"), name="one_pending_arbitration"),
        ]
        verbose_name = _("首谈协调申请")
        verbose_name_plural = _("首谈协调申请")

    def __str__(self) -> str:
        return f"{self.requesting_unit} · {self.organisation}"


class SpecialistAssignment(models.Model):
    """一对一服务专员, over time: who served the project from when to when, and what was handed over.
    Written by the project services whenever Project.specialist changes, so the history is never lost
    when a specialist moves on."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="specialist_assignments",
                                verbose_name=_("项目"))
    specialist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("服务专员"))
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("指派人"))
    note = models.TextField(_("交接说明"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # One current specialist per project: the open row is the project's specialist.
            models.UniqueConstraint(fields=["project"], condition=models.Q(ended_at__isnull=True),
                                    name="one_current_specialist"),
        ]
        verbose_name = _("服务专员任职")
        verbose_name_plural = _("服务专员任职")

    def __str__(self) -> str:
        return f"{self.project} · {self.specialist}"

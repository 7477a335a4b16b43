from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.servicedesk.choices import Category, Channel, EscalationLevel, Status
from apps.servicedesk.querysets import ContactLinkQuerySet, ServiceRequestQuerySet


class CategoryDeadline(models.Model):
    """How many calendar days a category of request has from the day it is raised (office admins edit)."""

    category = models.CharField(_("诉求类别"), max_length=20, choices=Category.choices, unique=True)
    days = models.PositiveIntegerField(_("办理时限（天）"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("诉求办理时限")
        verbose_name_plural = _("诉求办理时限")

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.days}天"


class ServiceRequest(models.Model):
    """诉求: a problem an enterprise of a project — or a talent being brought in (招才引智) — needs solved
    (land, permits, housing, schooling …), owned by a unit and a person, due by a date that follows from its
    category. Late ones escalate (services.escalate_overdue): owner → the owner unit's leaders → the office.

    It belongs to exactly one "subject": a project or a talent record (a check constraint). Both are
    pipeline records with a unit and a specialist, scoped by the same rule (TalentQuerySet inherits
    ProjectQuerySet), so the desk treats them alike through ``subject``."""

    project = models.ForeignKey("projects.Project", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="service_requests", verbose_name=_("所属项目"))
    talent = models.ForeignKey("talent.Talent", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="service_requests", verbose_name=_("所属人才"))
    category = models.CharField(_("诉求类别"), max_length=20, choices=Category.choices)
    title = models.CharField(_("诉求标题"), max_length=200)
    description = models.TextField(_("诉求内容"), blank=True)
    channel = models.CharField(_("提出方式"), max_length=20, choices=Channel.choices, default=Channel.STAFF)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("提出人"))
    contact_name = models.CharField(_("企业联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_link = models.ForeignKey("ContactLink", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="requests", verbose_name=_("提交链接"))
    owner_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="service_requests",
                                   verbose_name=_("承办单位"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="owned_service_requests", verbose_name=_("承办人"))
    due_date = models.DateField(_("办理期限"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.NEW)
    escalation_level = models.PositiveSmallIntegerField(_("升级层级"), choices=EscalationLevel.choices,
                                                        default=EscalationLevel.OWNER)
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    is_sample = models.BooleanField(_("示例数据"), default=False, editable=False)
    # Set by the services from their `now` so a test that moves the clock gets a consistent record.
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="servicerequest_open_due_idx"),
            models.Index(fields=["owner_unit", "status"], name="servicerequest_unit_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(project__isnull=False, talent__isnull=True)
                           | models.Q(project__isnull=True, talent__isnull=False)),
                name="servicerequest_one_subject"),
        ]
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")

    def __str__(self) -> str:
        return self.title

    @property
    def subject(self):
        """The project or the talent record the request is for."""
        return self.project if self.project_id else self.talent

    @property
    def subject_label(self) -> str:
        return str(_("项目")) if self.project_id else str(_("人才"))

    @property
    def is_open(self) -> bool:
        return self.status in (Status.NEW, Status.IN_PROGRESS)

    @cached_property
    def escalation(self):
        """Overdue days and escalation level as of today, whether or not the daily job has run yet.
        Selectors that know their `today` assign this attribute themselves."""
        from apps.servicedesk.escalation import escalation_state

        return escalation_state(self, timezone.localdate())

    @property
    def raised_by_text(self) -> str:
        if self.raised_by_id:
            return self.raised_by.display_name
        return self.contact_name or "—"


class ServiceRequestReply(models.Model):
    """One message on a request: from staff (author) or from the enterprise contact (contact_name)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="replies",
                                verbose_name=_("诉求"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("答复人"))
    contact_name = models.CharField(_("企业联系人"), max_length=50, blank=True)
    is_from_contact = models.BooleanField(_("来自企业"), default=False)
    body = models.TextField(_("内容"))
    attachment = models.FileField(_("附件"), upload_to="requests/%Y/%m/", blank=True, max_length=255)
    attachment_name = models.CharField(_("附件原名"), max_length=255, blank=True)
    # The status change this message came with (办结说明, 关闭理由), empty for a plain reply.
    status_to = models.CharField(_("状态变为"), max_length=20, choices=Status.choices, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("诉求答复")
        verbose_name_plural = _("诉求答复")

    def __str__(self) -> str:
        return f"{self.request} · {self.author_text}"

    @property
    def author_text(self) -> str:
        if self.is_from_contact:
            return self.contact_name or str(_("企业联系人"))
        return self.author.display_name if self.author_id else "—"


class ContactLink(models.Model):
    """A link (and QR code) handed to an enterprise's contact: without an account they raise and follow
    the requests of this one project. Only the SHA-256 of the link's random part is kept, so the
    database does not hand out working links; the URL is shown once, when it is made."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="contact_links",
                                verbose_name=_("项目"))
    contact_name = models.CharField(_("企业联系人"), max_length=50, blank=True)
    token_hash = models.CharField(_("链接摘要"), max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("生成人"))
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("作废人"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    objects = ContactLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("企业联系人链接")
        verbose_name_plural = _("企业联系人链接")

    def __str__(self) -> str:
        return f"{self.project} · {self.contact_name or '—'}"

    def is_active_at(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now

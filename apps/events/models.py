"""Events (活动) and signings (签约), and the public pages that are shared with their posters.

An Event is what happened: a matchmaking conference, a promotion, a talent salon, a seminar — when,
where, who hosted it and how many came. A Signing is one project's agreement signed at an event or on
its own. An event's totals (how many projects, how much) are computed from its active signings
(selectors.signing_totals) and never typed: a figure in a report can always be traced to the rows it
counts. A withdrawn signing stays in the history with its reason and stops counting.

A PublicPage is a read-only mobile page for one event or one signed/landed project, at an address
with a random token, showing only the fields an editor ticked (publicity.py lists them). It is what
the poster's QR code opens; withdrawing it makes the address (and so every forwarded poster) show a
"withdrawn" notice."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.money import CURRENCY_CHOICES, foreign_note
from apps.events.querysets import EventQuerySet, PublicPageQuerySet, SigningQuerySet
from apps.projects.choices import AgreementType


class EventKind(models.TextChoices):
    MATCHMAKING = "matchmaking", _("产业对接会")
    PROMOTION = "promotion", _("招商推介会")
    SIGNING = "signing", _("集中签约仪式")
    SALON = "salon", _("院士人才沙龙")
    SEMINAR = "seminar", _("技术研讨会")
    VISIT = "visit", _("考察交流")
    OTHER = "other", _("其他活动")


class Event(models.Model):
    title = models.CharField(_("活动名称"), max_length=200)
    kind = models.CharField(_("活动类型"), max_length=20, choices=EventKind.choices, default=EventKind.MATCHMAKING)
    date = models.DateField(_("活动日期"), db_index=True)
    end_date = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("多日活动填写"))
    city = models.CharField(_("举办城市"), max_length=50, blank=True)
    venue = models.CharField(_("活动地点"), max_length=200, blank=True)
    # The unit that runs the event in this system (its people edit it and record its signings); the
    # hosts as printed on the programme are free text, since they are often outside the system
    # (重庆市人民政府, a chamber of commerce).
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="events",
                             verbose_name=_("组织单位"))
    hosts = models.CharField(_("主办/承办单位"), max_length=300, blank=True,
                             help_text=_("如：主办 重庆市人民政府；承办 重庆市人民政府驻北京办事处"))
    attendee_count = models.PositiveIntegerField(_("参会人数"), null=True, blank=True)
    # "400余人": the count is a floor, as reports give it.
    attendee_count_is_floor = models.BooleanField(_("参会人数为约数（余）"), default=False)
    summary = models.TextField(_("活动简介"), blank=True)
    agenda = models.TextField(_("活动议程"), blank=True, help_text=_("每行一项，如：14:00 领导致辞"))
    participants = models.ManyToManyField("organisations.Organisation", through="EventParticipant",
                                          related_name="events", blank=True, verbose_name=_("参会主体"))
    is_sample = models.BooleanField(_("示例数据"), default=False, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("活动")
        verbose_name_plural = _("活动")

    def __str__(self) -> str:
        return f"{self.date} {self.title}"

    @property
    def place(self) -> str:
        return " ".join(part for part in (self.city, self.venue) if part)


class EventParticipant(models.Model):
    """An organisation that took part (attended, spoke, exhibited). Organisations that signed are
    participants by their signings; they need no row here."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participant_rows",
                              verbose_name=_("活动"))
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("参会主体"))
    note = models.CharField(_("说明"), max_length=200, blank=True, help_text=_("如：主旨发言、参展"))

    class Meta:
        ordering = ["event", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "organisation"], name="one_participant_row")]
        verbose_name = _("参会主体")
        verbose_name_plural = _("参会主体")

    def __str__(self) -> str:
        return f"{self.event} · {self.organisation}"


class EventPhoto(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos", verbose_name=_("活动"))
    image = models.ImageField(_("照片"), upload_to="events/%Y/%m/")
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # Removed photos stay (nothing is hard-deleted by a user) but are shown nowhere.
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")

    def __str__(self) -> str:
        return self.caption or self.image.name


class SigningStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    WITHDRAWN = "withdrawn", _("已撤回")


class Signing(models.Model):
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.PROTECT, related_name="signings",
                              verbose_name=_("签约活动"), help_text=_("单独签约的不填"))
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="signings",
                                verbose_name=_("签约项目"))
    agreement_type = models.CharField(_("协议类型"), max_length=20, choices=AgreementType.choices)
    # Null when the amount was not disclosed: the signing still counts as a project, and totals say
    # how many amounts they lack rather than pretending they are zero.
    amount = models.DecimalField(_("签约金额（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    # Signed in another currency: what was signed and the rate it was converted at; ``amount`` is then
    # original_amount × exchange_rate in yuan, and that is what every total counts (ADR 0011).
    currency = models.CharField(_("币种"), max_length=3, choices=CURRENCY_CHOICES, default="CNY")
    original_amount = models.DecimalField(_("原币金额"), max_digits=18, decimal_places=2, null=True, blank=True)
    exchange_rate = models.DecimalField(_("折算汇率（元）"), max_digits=14, decimal_places=6, null=True, blank=True,
                                        help_text=_("1单位外币折合人民币元数"))
    date = models.DateField(_("签约日期"), db_index=True)
    our_signatory = models.CharField(_("我方签约代表"), max_length=100, blank=True,
                                     help_text=_("如：长寿区人民政府 副区长"))
    their_signatory = models.CharField(_("企业方签约代表"), max_length=100, blank=True,
                                       help_text=_("如：北京嘉岳 董事长"))
    order = models.PositiveIntegerField(_("签约顺序"), default=0)
    status = models.CharField(_("状态"), max_length=20, choices=SigningStatus.choices, default=SigningStatus.ACTIVE)
    withdrawn_reason = models.TextField(_("撤回原因"), blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("撤回人"))
    is_sample = models.BooleanField(_("示例数据"), default=False, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = SigningQuerySet.as_manager()

    class Meta:
        ordering = ["event", "order", "id"]
        constraints = [
            # A project signs at most once per event: the tally, the poster and every later sum count it once.
            models.UniqueConstraint(fields=["event", "project"], condition=Q(status="active"),
                                    name="one_active_signing_per_event_project"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gt=0),
                                   name="signing_amount_positive"),
            models.CheckConstraint(
                condition=(Q(currency="CNY", original_amount__isnull=True, exchange_rate__isnull=True)
                           | (~Q(currency="CNY") & Q(exchange_rate__gt=0, original_amount__gt=0, amount__gt=0))),
                name="signing_currency_complete"),
        ]
        indexes = [
            models.Index(fields=["event", "status", "order"], name="signing_event_status_idx"),
            models.Index(fields=["project", "status"], name="signing_project_status_idx"),
        ]
        verbose_name = _("签约")
        verbose_name_plural = _("签约")

    def __str__(self) -> str:
        return f"{self.date} {self.project}"

    @property
    def is_active(self) -> bool:
        return self.status == SigningStatus.ACTIVE

    @property
    def foreign_note(self) -> str:
        """（3亿美元，按1美元=7.1元折算）after the yuan amount, for a signing in another currency."""
        return foreign_note(self.currency, self.original_amount, self.exchange_rate)


class PublicPage(models.Model):
    """A public, read-only page for one event or one project (exactly one of the two)."""

    token = models.CharField(_("访问令牌"), max_length=40, unique=True)
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE, related_name="public_pages",
                              verbose_name=_("活动"))
    project = models.ForeignKey("projects.Project", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="public_pages", verbose_name=_("项目"))
    fields = models.JSONField(_("公开字段"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("发布人"))
    created_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    withdrawn_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("撤下人"))
    withdraw_reason = models.TextField(_("撤下原因"), blank=True)

    objects = PublicPageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(event__isnull=False) & Q(project__isnull=True))
                | (Q(event__isnull=True) & Q(project__isnull=False)),
                name="public_page_one_subject",
            ),
            models.UniqueConstraint(fields=["event"], condition=Q(withdrawn_at__isnull=True, event__isnull=False),
                                    name="one_live_public_page_per_event"),
            models.UniqueConstraint(fields=["project"],
                                    condition=Q(withdrawn_at__isnull=True, project__isnull=False),
                                    name="one_live_public_page_per_project"),
        ]
        verbose_name = _("公开页面")
        verbose_name_plural = _("公开页面")

    def __str__(self) -> str:
        return f"{self.event or self.project} · {self.token[:6]}…"

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None

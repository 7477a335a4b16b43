import hashlib

from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", _("驻京办管理员")
    OFFICE_STAFF = "office_staff", _("驻京办招商专员")
    DISTRICT_ADMIN = "district_admin", _("区县管理员")
    DISTRICT_STAFF = "district_staff", _("区县招商干部")
    SPECIALIST = "specialist", _("服务专员")
    LEADER = "leader", _("领导（只读）")


OFFICE_ROLES = {Role.OFFICE_ADMIN, Role.OFFICE_STAFF}
DISTRICT_ROLES = {Role.DISTRICT_ADMIN, Role.DISTRICT_STAFF}


class User(AbstractUser):
    """Every person belongs to one unit and has one role; what they may see and change follows
    from the pair (apps/accounts/permissions.py)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("所属单位"))
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.DISTRICT_STAFF)
    phone = models.CharField(_("手机"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.name_from(self.username, self.first_name, self.last_name)

    @staticmethod
    def name_from(username: str, first_name: str, last_name: str) -> str:
        """The display name from the three columns (core.columns.USER_NAME), for rows read without an instance."""
        return f"{last_name}{first_name}".strip() or username

    @property
    def display_name(self) -> str:
        return str(self)


class ApiToken(models.Model):
    """A bearer token for scripts and the provincial system. Only the SHA-256 of the token is kept,
    so a copy of the database does not hand out working tokens."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户"))
    key_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    last_used_at = models.DateTimeField(_("最后使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("API令牌")
        verbose_name_plural = _("API令牌")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class Session(AbstractBaseSession):
    """Django's database session, with the signed-in user's id in a column of its own.

    Every signed-in request reads its session and then its user. With the id only inside the signed session
    data, that is two statements, one after the other; with it in a column, apps.accounts.sessions reads both
    in one (a LEFT JOIN), and Django's own checks — the user is active, the session's password hash still
    matches — run on the row that came back (ADR 0015). The column is filled from the session's data every
    time the session is saved; deleting a user deletes their sessions."""

    # No constraint in the database: a session may be saved for a user deleted a moment before (their request
    # was still running, and Django cycles the key at login or on a password change). With a constraint that
    # insert fails, and Django's create() takes the failure for a key clash and retries for ever. The id must
    # still match the session data to be used, and the ORM deletes a deleted user's sessions itself.
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                             db_constraint=False, verbose_name=_("用户"))

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"

    @classmethod
    def get_session_store_class(cls):
        from apps.accounts.sessions import SessionStore

        return SessionStore

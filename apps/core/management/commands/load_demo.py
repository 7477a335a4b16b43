"""`python manage.py load_demo` — the demo data, once, and only where settings say DEMO = True."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from apps.core.demo import demo_exists, demo_load


class Command(BaseCommand):
    help = _("载入演示数据（仅限演示环境，只载入一次）。")

    def handle(self, *args, **options):
        # Demo accounts share a published password: they must never reach a production database.
        if not getattr(settings, "DEMO", False):
            raise CommandError(_("当前配置不是演示环境（DEMO 未开启），拒绝载入演示数据。"
                                 "请使用 DJANGO_SETTINGS_MODULE=config.settings.demo 运行。"))
        if demo_exists():
            self.stdout.write(_("演示数据已存在，跳过"))
            return
        result = demo_load()
        self.stdout.write(self.style.SUCCESS(
            _("演示数据已载入：%(accounts)d 个演示账号，%(projects)d 个项目。演示账号密码：demo-password")
            % result
        ))

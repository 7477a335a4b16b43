from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "apps.projects"
    label = "projects"
    verbose_name = _("招商项目")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from apps.chains.models import Cluster
        from apps.projects.filters import FILTER_CHOICES
        from apps.units.models import Unit

        # The filter selects' options are kept for seconds; a unit or cluster saved here shows at once.
        for model in (Unit, Cluster):
            post_save.connect(FILTER_CHOICES.forget, sender=model, dispatch_uid=f"projects.filters.{model.__name__}.save")
            post_delete.connect(FILTER_CHOICES.forget, sender=model,
                                dispatch_uid=f"projects.filters.{model.__name__}.delete")

        # SQLite drops a table's triggers when a migration rebuilds the table: put the live count's back.
        post_migrate.connect(_ensure_live_count, sender=self, dispatch_uid="projects.live_count.ensure")


def _ensure_live_count(sender, using="default", **kwargs):
    from apps.projects.live_count import ensure

    ensure(using)

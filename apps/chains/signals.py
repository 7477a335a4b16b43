"""What makes a gap summary stale (jobs.py, ADR 0012): a placement, a link of the map, a placed project (its
stage, unit or archiving decide whether it counts) or a placed organisation (its region, archiving or merge
decide where it is present) changing. Each marks the clusters concerned in the writer's transaction."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apps.chains import jobs
from apps.chains.models import ChainLink, Placement


@receiver([post_save, post_delete], sender=Placement, dispatch_uid="chains_placement_gaps")
def placement_changed(sender, instance, **kwargs):
    jobs.mark_stale(ChainLink.objects.filter(pk=instance.link_id).values_list("cluster_id", flat=True))


@receiver([post_save, post_delete], sender=ChainLink, dispatch_uid="chains_link_gaps")
def link_changed(sender, instance, **kwargs):
    jobs.mark_stale([instance.cluster_id])


@receiver(post_save, sender="projects.Project", dispatch_uid="chains_project_gaps")
def project_saved(sender, instance, **kwargs):
    # A project makes its organisation present where it is live: the firm's placements count too.
    jobs.mark_stale_where_placed(organisation_id=instance.organisation_id, project_id=instance.pk)


@receiver(post_save, sender="organisations.Organisation", dispatch_uid="chains_organisation_gaps")
def organisation_saved(sender, instance, **kwargs):
    jobs.mark_stale_where_placed(organisation_id=instance.pk)

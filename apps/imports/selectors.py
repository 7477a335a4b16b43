"""Reads of import jobs, always through restrict(): a job is seen by its uploader and office admins."""

from django.shortcuts import get_object_or_404

from apps.imports.models import ImportIssue, ImportJob


def import_job_list(*, actor):
    return ImportJob.objects.restrict(actor, "view").select_related("created_by", "unit")


def import_job_get(*, actor, pk: int, action: str = "view") -> ImportJob:
    return get_object_or_404(ImportJob.objects.restrict(actor, action).select_related("created_by"), pk=pk)


def import_issue_list(*, job: ImportJob):
    """The job's issues in file order; the caller already has the job through import_job_get."""
    return ImportIssue.objects.filter(job=job).order_by("line", "id")

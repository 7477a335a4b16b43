"""How each model's changes reach the audit log — the register behind "every change to every record is
in the audit log" (apps/audit/tests/test_coverage.py holds the code to it).

Every concrete model of the project's apps (``apps.*``) has one entry:

- ``own()`` — the services that write it call ``audit_record`` with the row itself
  (``model=<app>.<model>``, ``object_id=<its pk>``);
- ``parent("fk")`` — a child row with no page of its own: the services log its creation, change or removal
  on the record it belongs to, through that foreign key (``label=`` when the service logs under another
  model name, as the funds plan does); a service may also log such a row on itself;
- ``exempt("why")`` — nothing a user or an auditor owns changes when the row does: the log itself, tables
  rebuilt from the records, the app's own bookkeeping, logs of another kind.

A new model without an entry fails the tests with a message naming this file.

The Django admin (``/admin/``) writes rows directly, outside the services: every ModelAdmin that can write
takes apps.audit.admin.AuditedAdminMixin, which logs each addition, change and deletion (and those of its
inline rows, on the row or on the parent as this register says) with the superuser as actor and a note
beginning "管理后台：". apps/audit/tests/test_admin.py walks the admin registry and proves it for each.
"""

from dataclasses import dataclass

OWN = "own"
PARENT = "parent"
EXEMPT = "exempt"


@dataclass(frozen=True)
class Coverage:
    how: str
    via: str = ""  # PARENT: the foreign key (or generic relation) naming the record the change is logged on
    label: str = ""  # PARENT: the model label the service logs under, when it is not the parent's own
    reason: str = ""  # EXEMPT (required) or a remark
    stamps: tuple = ()  # columns that record use, not change (last_used_at): written without a log line


def own(remark: str = "", *, stamps: tuple = ()) -> Coverage:
    return Coverage(OWN, reason=remark, stamps=stamps)


def parent(via: str, *, label: str = "", remark: str = "", stamps: tuple = ()) -> Coverage:
    return Coverage(PARENT, via=via, label=label, reason=remark, stamps=stamps)


def exempt(reason: str) -> Coverage:
    return Coverage(EXEMPT, reason=reason)


REGISTRY: dict[str, Coverage] = {
    # core
    "core.FormSubmission": exempt(
        "Double-submit guard: the key of a form already sent and the page it led to. The record the form "
        "created is logged by its own service."),
    "core.ScheduledRun": exempt("The scheduler's own run log of the daily jobs (started, finished, error)."),
    # units and accounts
    "units.Unit": exempt(
        "Reference list of the office and the districts, loaded by the data migrations (GB/T 2260); no page, "
        "API or service edits it. An edit in the Django admin is logged on the unit (apps.audit.admin)."),
    "accounts.User": own(
        "Logins, failed logins and token issues are logged on the user (accounts.apps, accounts.services). "
        "Accounts are edited only in the Django admin, which logs each edit (apps.audit.admin; never the "
        "password hash, only that it changed)."),
    "accounts.Session": exempt(
        "Django's sign-in sessions (the user's id in a column, apps.accounts.sessions). Signing in and out is "
        "logged on the user; the session row itself holds nothing a user or an auditor owns."),
    "accounts.ApiToken": parent("user", remark="Issuing a token is logged as 签发令牌 on its user.",
                                stamps=("last_used_at",)),
    "audit.AuditLog": exempt("The audit log itself; written only by audit_record, never edited."),
    # chains
    "chains.Cluster": own("Map changes are logged on the cluster (one row per map version)."),
    "chains.ChainLink": parent("cluster", remark="Every link edit makes a map version logged on the cluster."),
    "chains.ChainMapVersion": parent("cluster", remark="Itself a history: one row per logged map change."),
    "chains.Placement": own(),
    "chains.GapSummary": exempt("Cache of the chain-gap counts, recomputed from placements and projects "
                                "by chains.jobs."),
    # organisations
    "organisations.Organisation": own(),
    "organisations.SearchKey": exempt("Search index (unmanaged table) rebuilt from organisation names."),
    "organisations.SearchKeyStat": exempt("Search index statistics (unmanaged table), rebuilt from the index."),
    "organisations.OrganisationMerge": parent(
        "survivor", remark="A merge and its undo are logged on both organisations; this row is the undo "
                           "record of what moved."),
    "organisations.OrganisationAlias": parent("organisation"),
    "organisations.Person": own(),
    # projects
    "projects.Project": own(),
    "projects.StageChange": parent("project", remark="Logged as 阶段变更 on the project."),
    "projects.ClaimArbitration": own(),
    "projects.SpecialistAssignment": parent("project", remark="The specialist field's change is logged on "
                                                              "the project."),
    "activities.Activity": own(),
    # imports (apps/imports is written by its own services; see the report for its gaps)
    "imports.ImportJob": own(),
    "imports.ImportIssue": exempt(
        "Derived data: the problems the import found in one file's rows, written by the import run "
        "(itself logged on the job) and shown as its report."),
    # notifications
    "notifications.Notification": exempt(
        "A message to one user about a change that is itself logged; reading it changes only the "
        "recipient's own inbox."),
    "notifications.WebhookEndpoint": own(),
    "notifications.WebhookDelivery": exempt(
        "Itself a log: one row per message sent to a group chat, with its attempts and errors. A manual "
        "retry is logged on the endpoint."),
    # recommendations
    "recommendations.Recommendation": own(),
    "recommendations.RecommendationTarget": parent(
        "recommendation", remark="Created with the recommendation and logged on it; each unit's answer and "
                                 "site visit is logged on the target row itself."),
    # servicedesk
    "servicedesk.CategoryDeadline": own(),
    "servicedesk.ServiceRequest": own(),
    "servicedesk.ServiceRequestReply": own(),
    "servicedesk.ContactLink": own(remark="Staff see when a link was last used; using it changes nothing.",
                                   stamps=("last_used_at",)),
    # fulfilment
    "fulfilment.FundsEntry": own(),
    "fulfilment.FundsPlanItem": parent("project", label="fulfilment.fundsplan",
                                       remark="The whole plan is logged, before and after, under "
                                              "“fulfilment.fundsplan” with the project's id."),
    "fulfilment.Alert": exempt("Raised and resolved by the daily check from the funds records and the plan; "
                               "nobody edits an alert."),
    # events
    "events.Event": own(),
    "events.EventParticipant": parent("event"),
    "events.EventPhoto": parent("event"),
    "events.Signing": own(),
    "events.PublicPage": own(),
    # intelligence
    "intelligence.Article": own(),
    "intelligence.ArticleLink": own(),
    # relations
    "relations.Relation": own(),
    "relations.PersonTie": own(),
    "relations.Referral": own(),
    # talent
    "talent.Talent": own(),
    "talent.TalentStageChange": parent("talent"),
    "talent.TalentSpecialistAssignment": parent("talent"),
    # thinktanks
    "thinktanks.Cooperation": own(),
    "thinktanks.CooperationActivity": parent("cooperation"),
    "thinktanks.CooperationOutcome": parent("cooperation"),
    # offers
    "offers.Park": own(),
    "offers.Site": own(),
    "offers.Policy": own(),
    "offers.Resource": own(),
    "offers.NeedProfile": own(),
    # fairness
    "fairness.FairnessFlag": parent(
        "content_object", remark="Findings recomputed from a record's text are logged on that record "
                                 "(新增/撤下 n 条提示); a review is logged on the flag itself."),
}


def project_models():
    """Every concrete model of the project's own apps."""
    from django.apps import apps

    return [model for config in apps.get_app_configs() if config.name.startswith("apps.")
            for model in config.get_models() if not model._meta.proxy and not model._meta.abstract]


def coverage_for(model) -> Coverage | None:
    return REGISTRY.get(model._meta.label)

"""No change escapes the audit log (the issue: "every change to every record is in the audit log with who,
when, before and after").

The proof has three parts, because none alone covers everything:

1. The register (apps/audit/coverage.py) names, for every concrete model of ``apps.*``, how its changes
   are logged: on itself, on a parent, or exempt with a reason. A new model fails here until it is placed.
2. A static walk of every module under apps/ (tests and migrations aside) finds each function that writes
   rows (``.save(``, ``.create(``, ``.update(`` on a queryset, ``.delete(``, ``bulk_create``, …): it must
   call ``audit_record`` itself, or be called only by functions that do (followed up the call graph), or
   be listed in STATIC_ALLOWED below with the reason its writes need no log line. This catches a new
   writing function nobody exercises; it cannot tell which model a write touches.
3. A dynamic run, which can: every public function of the service modules is watched while a scripted
   world is built through the real services (tests/access_matrix/world.py, the access matrix's world)
   followed by the edits, removals and decisions below. For the outermost service call, every row it
   wrote (signals with the row's id; the SQL itself for ``update()``, bulk writes and many-to-many
   tables, which send no signal) must have an audit row written by that same call, on the row or on the
   parent the register names; for an update of a record logged on itself, each changed field must be in
   the row's ``changes`` as ``[before, after]``, unless the log row itself says it (a withdrawal's time
   is the row's time, who decided is its actor, the reason is its note). A save that changed nothing but
   the version, and the usage stamps the register names (``last_used_at``), are not changes. Every public
   service function that writes (found by the static walk) must be run by the scenario, or be listed in
   NOT_EXERCISED with the reason — so the dynamic part covers the whole service layer, not a sample.

The Django admin logs its own edits (apps.audit.admin.AuditedAdminMixin on every ModelAdmin), proven
admin by admin through the real change and delete forms in apps/audit/tests/test_admin.py.

Why not the access matrix's requests themselves: most of its POSTs carry empty bodies and are refused by
validation, so they write little; the services, called with real values, write everything.
"""

import ast
import datetime
import pathlib
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from apps.audit.coverage import EXEMPT, OWN, PARENT, REGISTRY, project_models

pytestmark = pytest.mark.django_db

ROOT = pathlib.Path(__file__).resolve().parents[3]


# ---- 1. the register ---------------------------------------------------------------------------------

def test_every_model_of_the_project_is_in_the_register():
    missing = sorted(m._meta.label for m in project_models() if m._meta.label not in REGISTRY)
    assert not missing, (
        "no audit coverage stated for: " + ", ".join(missing)
        + " — add each to REGISTRY in apps/audit/coverage.py: own() if its services call audit_record with "
          "it, parent('<fk>') if they log it on its parent, exempt('<why>') if no user's data changes")


def test_the_register_names_only_existing_models():
    labels = {m._meta.label for m in project_models()}
    stale = sorted(set(REGISTRY) - labels)
    assert not stale, f"apps/audit/coverage.py registers models that no longer exist: {stale}"


def test_every_entry_says_how():
    models = {m._meta.label: m for m in project_models()}
    problems = []
    for label, entry in REGISTRY.items():
        if entry.how == EXEMPT and len(entry.reason) < 20:
            problems.append(f"{label}: an exemption needs a written reason")
        if entry.how == PARENT:
            if entry.via == "content_object":
                fields = {f.name for f in models[label]._meta.fields}
                if not {"content_type", "object_id"} <= fields:
                    problems.append(f"{label}: no generic relation content_type/object_id")
            else:
                field = models[label]._meta.get_field(entry.via)
                if not field.many_to_one:
                    problems.append(f"{label}: {entry.via} is not a foreign key")
        if entry.how not in (OWN, PARENT, EXEMPT):
            problems.append(f"{label}: unknown mode {entry.how}")
    assert not problems, "\n".join(problems)


# ---- 3. the dynamic run ------------------------------------------------------------------------------

@pytest.fixture
def observed(monkeypatch):
    from apps.audit.tests.observer import ServiceObserver

    observer = ServiceObserver()
    observer.install(monkeypatch)
    try:
        yield observer
    finally:
        observer.uninstall()


@pytest.fixture
def scenario(observed):
    """The access matrix's world, built through the services, then the edits, removals and decisions."""
    from tests.access_matrix.world import build_world

    world = build_world()
    edit_everything(world)
    return observed


def edit_everything(w):
    """After the world's creations: an edit, a removal or a decision of each kind of record."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import RequestFactory

    from apps.accounts.models import ApiToken
    from apps.accounts.services import api_token_issue, api_token_user
    from apps.activities.services import activity_complete_next_step, activity_create
    from apps.chains import services as chains
    from apps.chains.maps import flatten
    from apps.events import services as events
    from apps.fairness.models import FairnessFlag
    from apps.fairness.services import flag_review
    from apps.fulfilment.services import funds_entry_delete, funds_plan_set, raise_alerts
    from apps.intelligence import services as intelligence
    from apps.notifications import services as notifications
    from apps.offers import services as offers
    from apps.organisations.bulk import OrgRow, bulk_upsert
    from apps.organisations.merge import organisation_merge, organisation_merge_undo
    from apps.organisations.services import organisation_create, organisation_update, person_create
    from apps.projects import claims
    from apps.projects import services as projects
    from apps.projects.claims import arbitration_decide
    from apps.projects.models import ArbitrationStatus
    from apps.projects.services import project_archive, project_create, project_update
    from apps.recommendations import services as recommendations
    from apps.recommendations.services import recommendation_decline
    from apps.relations import services as relations
    from apps.relations.models import Referral
    from apps.relations.services import person_tie_delete, relation_delete
    from apps.servicedesk import services as desk
    from apps.talent import services as talents
    from apps.talent.services import talent_archive, talent_update
    from apps.thinktanks import services as thinktanks
    from tests.access_matrix.world import PASSWORD, _png

    u = w["users"]
    office, admin, district = u["office"], u["office_admin"], u["district_admin"]
    day = datetime.date(2025, 11, 5)
    organisation_update(actor=office, organisation=w["organisation"], region="北京市朝阳区", short_names=["骅远"])
    project_update(actor=office, project=w["project"], description="一期厂房，二期研发中心", priority="high")
    activity_complete_next_step(actor=u["district"], activity=w["activity"])
    talent_update(actor=office, talent=w["talent"], title="首席科学家")
    talents.talent_assign_specialist(actor=office, talent=w["talent"], specialist=u["specialist"], note="对口")
    talents.talent_move_stage(actor=office, talent=w["talent"], to_stage="negotiation", note="第二次面谈")
    talents.talent_attend(actor=office, talent=w["talent"], event=w["event"])
    projects.project_hand_over(actor=office, project=w["project"], specialist=u["district"], note="原专员调岗")
    token = api_token_issue(username="t_district", password=PASSWORD, request=RequestFactory().post("/api/token"))
    ApiToken.objects.update(last_used_at=None)
    assert api_token_user(token) == u["district"]  # stamps last_used_at
    second = recommendations.recommendation_create(actor=office, organisation=w["organisation"],
                                                   units=[w["unit"], w["other_unit"]], reason="用地条件契合",
                                                   date=datetime.date(2025, 10, 2))
    target = second.targets.get(unit=w["unit"])
    recommendations.recommendation_accept(actor=district, target=target, reason="同意接洽")
    recommendations.target_log_site_visit(actor=u["district"], target=target, date=datetime.date(2025, 10, 9),
                                          summary="实地考察白市驿厂房")
    recommendations.recommendation_withdraw(actor=office, recommendation=second, reason="企业改变计划")
    contact_request = desk.request_create_by_contact(link=w["contact_link"], category="land", title="用地咨询",
                                                     description="想了解二期用地。", contact_name="王经理",
                                                     contact_phone="13800000000")
    desk.request_reply(request=contact_request, body="已转规划部门。", actor=u["district"])
    desk.request_change_status(actor=u["district"], request=contact_request, to_status="resolved",
                               note="已答复")
    events.signing_update(actor=office, signing=w["signing"], values={"agreement_type": "contract",
                                                                       "amount": Decimal(600_000_000)})
    events.signing_reorder(actor=office, event=w["event"], ordered_ids=[w["signing"].pk])
    events.public_page_publish(actor=office, event=w["event"], fields=["kind", "place", "summary"])
    notifications.webhook_delivery_retry(actor=district, delivery=w["delivery"])
    intelligence.article_link_project(actor=u["district"], article=w["article"], item_key="project:0",
                                      project=w["project"])
    intelligence.article_link_event(actor=office, article=w["article"], item_key="event:0", event=w["event"])
    intelligence.article_link_signing(actor=office, article=w["article"], item_key="signing:0",
                                      signing=w["signing"])
    relations.relation_propose_from_news(actor=office, article=w["article"], organisation=w["organisation"],
                                         related=w["organisation2"], kind="partner", evidence="双方签署合作协议")
    offers.need_send_recommendations(actor=office, need=w["need"], units=[w["other_unit"]], matches=[])
    desk.contact_link_open(w["contact_token"])
    desk.escalate_overdue(today=datetime.date(2026, 6, 1))
    notifications.notification_mark_all_read(actor=u["district"])
    notifications.webhook_endpoint_send_test(actor=district, endpoint=w["webhook"])
    raise_alerts(today=datetime.date(2026, 6, 1))
    held = organisation_create(actor=office, name="协调测试企业二（北京）有限公司")
    project_create(actor=u["district"], organisation=held, unit=w["unit"], name="协调测试项目二",
                   first_contact_date=day)
    asked = claims.arbitration_request(actor=u["district2"], organisation=held, unit=w["other_unit"],
                                       reason="我区2025年4月已首次接触该企业。")
    claims.arbitration_withdraw(actor=u["district2"], arbitration=asked)
    claims.project_extend_protection(actor=u["district"], project=held.projects.get(), activity_date=day)
    bulk_upsert([OrgRow(line=2, values={"name": "批量导入测试（北京）有限公司", "region": "北京市"})], actor=office)
    intelligence.article_link_organisation(actor=u["district"], article=w["article"], item_key="org:0",
                                           organisation=w["organisation"])
    talent_archive(actor=office, talent=w["talent"], reason="已落户他市")
    thinktanks.cooperation_update(actor=district, cooperation=w["cooperation"], values={
        **{k: getattr(w["cooperation"], k) for k in ("partner", "title", "agreement_no", "signed_date",
                                                     "start_date", "end_date", "status", "unit", "contact")},
        "terms": "每年三份报告", "partner_contact": "李华"})
    thinktanks.activity_remove(actor=office, activity=w["cooperation_activity"])
    thinktanks.outcome_remove(actor=office, outcome=w["cooperation_outcome"])
    offers.park_update(actor=district, park=w["park"], values={
        "name": "九龙坡智能制造产业园（二期）", "kind": "industrial", "clusters": [w["cluster"]],
        "leading_industries": "汽车零部件"})
    offers.site_update(actor=district, site=w["site"], values={
        "name": "白市驿标准厂房2栋", "park": w["park"], "kind": "factory", "area": Decimal(15000), "power_kva": 5000})
    offers.site_retire(actor=district, site=w["site"])
    offers.policy_update(actor=district, policy=w["policy"], values={
        "title": "促进汽车零部件产业发展十条", "doc_number": "九龙坡府发〔2025〕3号", "summary": "仅限本地企业享受租金减免。",
        "valid_from": datetime.date(2025, 1, 1), "valid_until": datetime.date(2030, 12, 31), "clusters": []})
    offers.resource_update(actor=district, resource=w["resource"], values={"kind": "finance",
                                                                           "title": "九龙坡产业引导基金（二期）"})
    offers.resource_retire(actor=district, resource=w["resource"])
    offers.need_update(actor=office, need=w["need"], values={"title": "西南生产基地（扩大）", "cluster": w["cluster"]})
    recommendation_decline(actor=district, target=w["target"], reason="产业方向不符")
    desk.request_assign(actor=office, request=w["service_request"], owner_unit=w["other_unit"])
    desk.deadline_update(actor=admin, category="utilities", days=20)
    desk.contact_link_revoke(actor=u["district"], link=w["contact_link"])
    events.event_update(actor=office, event=w["event"], values={"venue": "北京饭店", "attendee_count": 450})
    photo = events.event_add_photo(actor=office, event=w["event"], image=SimpleUploadedFile("q.png", _png()),
                                   caption="签约仪式")
    events.event_remove_photo(actor=office, photo=photo)
    events.event_remove_participant(actor=office, participant=w["participant"])
    events.signing_withdraw(actor=office, signing=w["signing"], reason="协议重签")
    events.public_page_withdraw(actor=office, page=w["project_page"], reason="信息有误")
    # A referral credited through the relation (proposal_accept's row, made directly: the world's landed
    # project is not far enough along for a proposal) loses its link when the relation is deleted.
    new_lead = project_create(actor=u["district"], organisation=w["organisation2"], unit=w["unit"],
                              name="以商招商测试项目", first_contact_date=day)
    w["referral"] = Referral.objects.create(
        project=new_lead, referring_organisation=w["organisation"], referring_unit=w["unit"],
        landed_project=w["project"], relation=w["relation"], relation_label="供应商", reason="供应链上游",
        credited_by=u["district"])
    relation_delete(actor=office, relation=w["relation"])
    person_tie_delete(actor=office, tie=w["tie"])
    chains.placement_set_leader(actor=office, placement=w["placement"], is_chain_leader=True)
    chains.placement_delete(actor=office, placement=w["placement"])
    link = chains.link_create(actor=u["office_admin"], cluster=w["cluster"], name="矩阵测试环节")
    chains.link_update(actor=u["office_admin"], link=link, description="测试")
    chains.link_move(actor=u["office_admin"], link=link, parent=w["link"])
    other = chains.link_create(actor=u["office_admin"], cluster=w["cluster"], name="矩阵测试环节二")
    moved = chains.placement_create(actor=office, link=other, organisation=w["organisation2"])
    chains.placements_move(actor=u["office_admin"], source=other, target=w["link"])
    chains.placement_delete(actor=office, placement=type(moved).objects.get(organisation=w["organisation2"]))
    chains.link_delete(actor=u["office_admin"], link=other)
    version = chains.map_replace(actor=u["office_admin"], cluster=w["cluster"],
                                 data=chains.map_snapshot(w["cluster"]), note="原样保存")
    chains.version_restore(actor=u["office_admin"], version=version)
    chains.map_import_rows(actor=u["office_admin"], cluster=w["cluster"], sources=["测试"], note="导入",
                           rows=flatten(chains.map_snapshot(w["cluster"])["links"]))
    offers.need_update(actor=office, need=w["need"], values={"title": "西南生产基地（扩大）", "cluster": w["cluster"],
                                                            "chain_link": link})
    chains.link_delete(actor=u["office_admin"], link=link)
    endpoint = notifications.webhook_endpoint_create(
        actor=district, unit=w["unit"], platform="wecom", name="九龙坡区招商群",
        url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc")
    notifications.webhook_endpoint_update(actor=district, endpoint=endpoint, name="九龙坡区招商工作群",
                                          is_active=False)
    notifications.notification_mark_read(actor=u["district"], notification=w["notification"])
    # policy_update's text raised flags on the policy: a person reviews them.
    for flag in FairnessFlag.objects.filter(object_id=w["policy"].pk,
                                            content_type=ContentType.objects.get_for_model(w["policy"])):
        flag_review(actor=admin, flag=flag, status="cleared", note="系依据上级文件，已核实")
    offers.policy_retire(actor=district, policy=w["policy"])
    offers.park_retire(actor=district, park=w["park"])
    funds_plan_set(actor=office, project=w["project"], items=[
        {"due_date": datetime.date(2026, 3, 1), "amount": Decimal(100_000_000), "note": "二期"}])
    funds_entry_delete(actor=office, entry=w["funds_entry"], reason="重复登记")
    arbitration_decide(actor=admin, arbitration=w["arbitration"], decision=ArbitrationStatus.GRANTED,
                       note="长寿区材料属实")
    organisation_merge_undo(actor=admin, merge=w["merge"])
    # A merge re-points the duplicate's records (an activity, a contact) to the survivor, and back on undo.
    dup = organisation_create(actor=office, name="骅远科技北京有限公司重复登记二")
    activity_create(actor=u["district"], date=day, summary="走访重复登记的主体", organisation=dup)
    person_create(actor=office, name="李强", organisation=dup)
    merge = organisation_merge(actor=admin, survivor=w["organisation"], merged=dup, reason="重复登记")
    organisation_merge_undo(actor=admin, merge=merge)
    project_archive(actor=office, project=w["project"], reason="企业另选址")


def test_every_row_a_service_writes_has_its_audit_row(scenario):
    assert len(set(scenario.calls)) > 20, scenario.calls
    assert not scenario.problems, "writes without an audit row (add audit_record in the service, or state in "\
        "apps/audit/coverage.py how the model is logged):\n" + "\n".join(sorted(set(scenario.problems)))


# Service functions that write but are not run above, and why the proof holds without them.
NOT_EXERCISED = {
    "apps.relations.services.proposal_accept": (
        "needs a landed project with a supplier relation in a proposal; its Referral is created with "
        "audit_record in the same function (the static walk holds it)"),
}


def _service_writers() -> set[str]:
    """Public functions of the service modules that write, themselves or through a helper they call."""
    from apps.audit.tests.observer import SERVICE_MODULES

    functions = {key: value for key, value in scan_functions().items() if key.split(":")[0] in SERVICE_MODULES}
    names: dict[str, set] = {}
    for key in functions:
        names.setdefault(_short(key), set()).add(key)
    writers = {key for key, (writes, _c) in functions.items() if writes}
    changed = True
    while changed:
        changed = False
        for key, (_w, calls) in functions.items():
            if key not in writers and any(names.get(n, set()) & writers for n in calls):
                writers.add(key)
                changed = True
    return {key.replace(":", ".") for key in writers if "." not in key.split(":")[1]
            and not _short(key).startswith("_")}


def test_the_scenario_runs_every_service_that_writes(scenario):
    missing = sorted(_service_writers() - set(scenario.calls) - set(NOT_EXERCISED))
    assert not missing, ("service functions that write but the scenario never runs — call them in "
                         "edit_everything() in apps/audit/tests/test_coverage.py: " + ", ".join(missing))


def said_by_the_row(model, name, after, log) -> bool:
    """A change the log row states without a [before, after] pair: the time of a withdrawal or decision
    is the row's time, who made it is its actor, the reason is its note, archiving is its action."""
    field = next((f for f in model._meta.fields if f.attname == name), None)
    if isinstance(field, models.DateTimeField) and after is not None:
        return abs((after - log["at"]).total_seconds()) < 60
    if isinstance(field, models.DateField) and after is not None:
        return after == timezone.localdate(log["at"])
    if field is not None and field.is_relation and field.related_model is get_user_model():
        return after == log["actor_id"]
    if name == "is_archived":
        return after is True and log["action"] == "archive"
    return isinstance(after, str) and bool(after) and after in log["note"]


def test_an_update_logs_each_changed_field_before_and_after(scenario):
    problems = []
    for service, model, pk, changed, logs in scenario.update_rows:
        for name, (before, after) in changed.items():
            field = next((f for f in model._meta.fields if f.attname == name), None)
            keys = {name, getattr(field, "name", name), str(getattr(field, "verbose_name", name))}
            paired = any(key in keys and isinstance(pair, list) and len(pair) == 2
                         for log in logs for key, pair in (log["changes"] or {}).items())
            if not paired and not any(said_by_the_row(model, name, after, log) for log in logs):
                problems.append(f"{service}: {model._meta.label} #{pk} field {name} {before!r} → {after!r} "
                                "not in the audit row's changes as [before, after]")
    assert scenario.update_rows, "the scenario updated no record logged on itself"
    assert not problems, "\n".join(sorted(set(problems)))


# ---- 2. the static walk ------------------------------------------------------------------------------

WRITE_CALLS = {"save", "create", "update", "delete", "bulk_create", "bulk_update", "get_or_create",
               "update_or_create"}
M2M_CALLS = {"set", "add", "remove", "clear"}

# Functions that write rows without a log line, and why none is owed. Keyed "module:function".
CACHE = "writes only a table rebuilt from the records (exempt in apps/audit/coverage.py)"
DEMO = "fills the demo or benchmark database with sample rows; never runs on the office's data"
REFERENCE = "loads the reference lists (units, clusters, chain maps) from the data migrations"
STATIC_ALLOWED = {
    "apps.chains.jobs:ensure_summaries": CACHE,
    "apps.chains.jobs:mark_stale": CACHE,
    "apps.chains.jobs:mark_stale_where_placed": CACHE,
    "apps.chains.jobs:refresh_gaps": CACHE,
    "apps.chains.jobs:refresh_summary": CACHE,
    "apps.organisations.search:rebuild_index": CACHE + ": the search index and search_text",
    "apps.chains.reference:load_chain_maps": REFERENCE,
    "apps.chains.reference:load_clusters": REFERENCE,
    "apps.units.reference:load_units.put": REFERENCE,
    "apps.core.demo:_salon_participants": DEMO,
    "apps.offers.demo:_load_district": DEMO,
    "apps.relations.demo:load": DEMO,
    "apps.organisations.management.commands.bench:Command._bench_user": DEMO,
    "apps.organisations.management.commands.bench:Command._reset_library": DEMO,
    "apps.organisations.management.commands.bench:Command.bench_http": DEMO,
    "apps.organisations.management.commands.bench:Command.bench_import": DEMO,
    "apps.core.idempotency:submission_record_result": "the double-submit guard's own row (core.FormSubmission)",
    "apps.core.scheduler:run_job": "the scheduler's own run log (core.ScheduledRun)",
    "apps.fulfilment.services:raise_alerts": "alerts raised and resolved by the daily check (exempt)",
    "apps.notifications.services:notify": "notifications: messages about changes logged by their service",
    "apps.notifications.services:_queue_webhooks": "webhook deliveries: themselves a log (exempt)",
    "apps.notifications.services:webhook_endpoint_send_test": "a test message: a delivery row, itself a log",
    "apps.notifications.delivery:deliver": "a delivery's attempts and errors: itself a log",
    "apps.notifications.services:notification_mark_read": "the recipient's own inbox state",
    "apps.notifications.services:notification_mark_all_read": "the recipient's own inbox state",
    "apps.servicedesk.services:contact_link_open": "last_used_at, a usage stamp shown to staff",
    "apps.offers.api:_register.offer_add": "kind.create is offers.services.<kind>_create, which logs",
    "apps.imports.views:import_list_view": "the worker task id of the job just created (bookkeeping)",
    "apps.imports.management.commands.import_organisations:Command.handle": (
        "marks the job failed when the command is interrupted (run state)"),
}


def _m2m_names():
    return {f.name for m in project_models() for f in m._meta.many_to_many}


def _writes(call: ast.Call, m2m: set) -> bool:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr in M2M_CALLS:
        return isinstance(func.value, ast.Attribute) and func.value.attr in m2m
    if func.attr not in WRITE_CALLS:
        return False
    if func.attr == "update":  # a queryset's update(), not a dict's
        receiver = func.value
        if isinstance(receiver, ast.Call) and _called_name(receiver) in ("setdefault", "get"):
            return False  # a dict of sets
        return isinstance(receiver, ast.Call) or (isinstance(receiver, ast.Attribute)
                                                  and receiver.attr in ("objects", "_base_manager"))
    if func.attr == "save" and call.args:  # a workbook, an image or a storage, saved to a file
        return False
    return True


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def scan_functions():
    """{"module:qualname": (writes: [line], calls: {names})} for every function under apps/."""
    m2m = _m2m_names()
    found = {}
    for path in sorted((ROOT / "apps").rglob("*.py")):
        rel = path.relative_to(ROOT)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        module = ".".join(rel.with_suffix("").parts)

        def visit(node, prefix, module=module):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    name = f"{prefix}{child.name}"
                    if not isinstance(child, ast.ClassDef):
                        writes, calls = [], set()
                        for sub in _own_nodes(child):
                            if isinstance(sub, ast.Call):
                                if _writes(sub, m2m):
                                    writes.append(sub.lineno)
                                called = _called_name(sub)
                                if called:
                                    calls.add(called)
                        found[f"{module}:{name}"] = (writes, calls)
                    visit(child, name + ".")

        visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return found


def _own_nodes(func):
    """The nodes of a function's body, without those of the functions and classes defined inside it."""
    stack = list(ast.iter_child_nodes(func))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))


def _short(key: str) -> str:
    return key.rsplit(":", 1)[1].rsplit(".", 1)[-1]


def unlogged_writers():
    functions = scan_functions()
    direct = {key for key, (_w, calls) in functions.items() if "audit_record" in calls}
    # A function calling its own module's private helper that logs (chains' _map_changed) logs too.
    helpers = {key for key in direct if _short(key).startswith("_")}
    logged = set(direct)
    for key, (_w, calls) in functions.items():
        module = key.split(":")[0]
        if any(f"{module}:{name}" in helpers for name in calls):
            logged.add(key)
    callers: dict[str, set] = {}
    for key, (_w, calls) in functions.items():
        for name in calls:
            callers.setdefault(name, set()).add(key)
    changed = True
    while changed:  # a helper is covered when every function calling it is
        changed = False
        for key in functions:
            if key in logged:
                continue
            mine = callers.get(_short(key), set()) - {key}
            if mine and mine <= logged:
                logged.add(key)
                changed = True
    return {key: writes for key, (writes, _c) in functions.items() if writes and key not in logged}


def test_every_function_that_writes_rows_logs_them():
    found = unlogged_writers()
    unexplained = sorted(f"{key} (line {', '.join(map(str, writes))})" for key, writes in found.items()
                         if key not in STATIC_ALLOWED)
    assert not unexplained, (
        "these functions write rows, and neither they nor every function calling them call audit_record: "
        "add audit_record (apps/audit/services.py) in the service, or, if no record of a user's changes, "
        "say why in STATIC_ALLOWED in apps/audit/tests/test_coverage.py:\n" + "\n".join(unexplained))


def test_the_static_allowances_are_still_needed():
    found = unlogged_writers()
    stale = sorted(set(STATIC_ALLOWED) - set(found))
    assert not stale, f"no longer write without a log line — remove from STATIC_ALLOWED: {stale}"

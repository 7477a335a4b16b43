"""The fulfilment pages for every role: anonymous is sent to log in, another unit meets a 404 and learns
nothing, a reader (leader, a specialist who does not serve the project) reads and is refused writes with
a 403, and those who may change record funds and the plan."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.idempotency import new_submission_key
from apps.fulfilment.models import FundsEntry, FundsPlanItem
from apps.fulfilment.selectors import project_fulfilment
from apps.fulfilment.services import funds_entry_add, funds_plan_set, raise_alerts
from apps.fulfilment.tests.conftest import WAN, YI, sign

D = datetime.date
NAME = "骅远人工智能数据安全中心项目"
VIEWERS = ["office_admin", "office", "leader", "district", "district_admin", "specialist"]
CHANGERS = ["office_admin", "office", "district", "district_admin"]
READERS = ["leader", "specialist"]  # see 九龙坡区's project, may not change it (the specialist does not serve it)
OUTSIDERS = ["district2", "liangjiang"]


@pytest.fixture
def entry(signed_project, users):
    return funds_entry_add(actor=users["district"], project=signed_project, date=D(2025, 12, 15),
                           amount=Decimal("1.2") * YI)


def funds_data(**overrides):
    return {"date": "2025-12-20", "amount": "3000万", "note": "二笔注资", "evidence": "银行回单",
            "submission_key": new_submission_key()} | overrides


def plan_data(*rows, extra=2):
    data = {"plan-TOTAL_FORMS": str(len(rows) + extra), "plan-INITIAL_FORMS": "0",
            "plan-MIN_NUM_FORMS": "0", "plan-MAX_NUM_FORMS": "1000"}
    for i, (due, amount, note) in enumerate([*rows, *[("", "", "")] * extra]):
        data |= {f"plan-{i}-due_date": due, f"plan-{i}-amount": amount, f"plan-{i}-note": note}
    return data


def urls(project, entry):
    return {
        "project": reverse("fulfilment:project", args=[project.pk]),
        "funds_add": reverse("fulfilment:funds_add", args=[project.pk]),
        "funds_delete": reverse("fulfilment:funds_delete", args=[project.pk, entry.pk]),
        "plan": reverse("fulfilment:plan", args=[project.pk]),
    }


def test_anonymous_is_sent_to_login(client, signed_project, entry):
    login = reverse("accounts:login")
    u = urls(signed_project, entry)
    for response in [client.get(reverse("fulfilment:index")), client.get(u["project"]), client.get(u["plan"]),
                     client.post(u["funds_add"], funds_data()), client.post(u["funds_delete"], {"reason": "x"}),
                     client.post(u["plan"], plan_data(("2026-03-31", "1亿", "")))]:
        assert response.status_code == 302 and response.url.startswith(login)
    assert FundsEntry.objects.live().count() == 1 and not FundsPlanItem.objects.exists()


@pytest.mark.parametrize("role", OUTSIDERS)
def test_another_unit_meets_404s_and_learns_nothing(client, users, role, signed_project, entry):
    raise_alerts(today=D(2026, 3, 1))
    client.force_login(users[role])
    index = client.get(reverse("fulfilment:index"))
    assert index.status_code == 200 and NAME not in index.content.decode()
    u = urls(signed_project, entry)
    for response in [client.get(u["project"]), client.get(u["plan"]), client.post(u["funds_add"], funds_data()),
                     client.post(u["funds_delete"], {"reason": "x"}),
                     client.post(u["plan"], plan_data(("2026-03-31", "1亿", "")))]:
        assert response.status_code == 404
        assert NAME not in response.content.decode()
    assert FundsEntry.objects.live().count() == 1 and not FundsPlanItem.objects.exists()


@pytest.mark.parametrize("role", READERS)
def test_a_reader_reads_and_is_refused_writes(client, users, role, signed_project, entry):
    client.force_login(users[role])
    page = client.get(reverse("fulfilment:project", args=[signed_project.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and NAME in body and "1.2亿元" in body
    assert "登记到位资金" not in body and "撤销原因" not in body
    u = urls(signed_project, entry)
    for response in [client.get(u["plan"]), client.post(u["funds_add"], funds_data()),
                     client.post(u["funds_delete"], {"reason": "x"}),
                     client.post(u["plan"], plan_data(("2026-03-31", "1亿", "")))]:
        assert response.status_code == 403
    assert FundsEntry.objects.live().count() == 1 and not FundsPlanItem.objects.exists()


@pytest.mark.parametrize("role", CHANGERS)
def test_those_who_may_change_record_funds_with_the_amount_as_people_write_it(client, users, role, signed_project,
                                                                              entry):
    client.force_login(users[role])
    response = client.post(reverse("fulfilment:funds_add", args=[signed_project.pk]), funds_data())
    assert response.status_code == 302 and response.url == reverse("fulfilment:project", args=[signed_project.pk])
    added = FundsEntry.objects.latest("id")
    assert added.amount == Decimal("30000000.00") and added.created_by == users[role]
    page = client.get(response.url).content.decode()
    assert "已登记2025-12-20到位资金3,000万元。" in page
    assert "1.5亿元" in page and "30.0%" in page


def test_page_errors_are_chinese_and_sit_next_to_the_field(client, users, signed_project):
    client.force_login(users["district"])
    url = reverse("fulfilment:funds_add", args=[signed_project.pk])
    for data, message in [
        (funds_data(amount="5000"), "到位金额：“5000”没有单位，请写明元、万元或亿元"),
        (funds_data(amount="0万"), "到位金额：须大于0。"),
        (funds_data(amount=""), "请填写到位金额。"),
        (funds_data(date="2025-10-01"), "到位日期：不能早于签约日期（2025年11月1日）。"),
        (funds_data(date="2099-01-01"), "到位日期：不能晚于今天；尚未到位的资金请写入资金到位计划。"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not FundsEntry.objects.exists()


def test_the_total_above_the_signed_amount_is_saved_with_a_warning(client, users, signed_project):
    client.force_login(users["district"])
    response = client.post(reverse("fulfilment:funds_add", args=[signed_project.pk]),
                           funds_data(amount="6亿"), follow=True)
    assert "到位资金累计6亿元，已超过签约金额5亿元。" in response.content.decode()
    assert FundsEntry.objects.count() == 1


def test_a_double_submission_records_once(client, users, signed_project):
    client.force_login(users["district"])
    data = funds_data()
    url = reverse("fulfilment:funds_add", args=[signed_project.pk])
    client.post(url, data)
    response = client.post(url, data, follow=True)
    assert "此表单已经提交过一次" in response.content.decode()
    assert FundsEntry.objects.count() == 1


def test_withdrawing_an_entry_needs_a_reason(client, users, signed_project, entry):
    client.force_login(users["district"])
    url = reverse("fulfilment:funds_delete", args=[signed_project.pk, entry.pk])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "撤销原因：请写明为什么撤销这笔记录" in response.content.decode()
    entry.refresh_from_db()
    assert entry.deleted_at is None
    response = client.post(url, {"reason": "金额登记错误"}, follow=True)
    body = response.content.decode()
    assert "已撤销2025-12-15的到位资金1.2亿元。" in body and "金额登记错误" in body
    entry.refresh_from_db()
    assert entry.deleted_at is not None


def test_the_plan_editor(client, users, signed_project):
    client.force_login(users["district"])
    url = reverse("fulfilment:plan", args=[signed_project.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, plan_data(("2026-03-31", "2亿", "首期"), ("2026-06-30", "1亿", "二期")))
    assert response.status_code == 302
    assert list(FundsPlanItem.objects.values_list("amount", flat=True)) == [2 * YI, 1 * YI]
    page = client.get(response.url).content.decode()
    assert "首期" in page and "3亿元" in page
    # The editor shows the saved plan back, in the units people write.
    editor = client.get(url).content.decode()
    assert 'value="2亿元"' in editor and 'value="2026-03-31"' in editor
    response = client.post(url, plan_data(("2026-03-31", "4亿", ""), ("2026-06-30", "2亿", "")))
    assert response.status_code == 200
    assert "资金到位计划：各期合计6亿元，超过签约金额5亿元。" in response.content.decode()
    response = client.post(url, plan_data(("2026-03-31", "2", "")))
    assert "没有单位" in response.content.decode()
    assert FundsPlanItem.objects.count() == 2


def test_the_index_lists_alerts_with_filters_and_the_signed_projects(client, users, signed_project,
                                                                     other_signed_project, entry):
    raise_alerts(today=D(2026, 3, 1))
    client.force_login(users["office"])
    body = client.get(reverse("fulfilment:index")).content.decode()
    assert "签约已120天仍未注册落地（规定90天）" in body and "已120天无走访洽谈记录" in body
    assert NAME in body and other_signed_project.name in body
    assert "24.0%" in body  # 1.2亿 of 5亿
    filtered = client.get(reverse("fulfilment:index"), {"kind": "no_activity", "unit": signed_project.unit_id})
    body = filtered.content.decode()
    assert "已120天无走访洽谈记录" in body and "仍未注册落地（规定90天）</td>" not in body
    assert other_signed_project.name not in body


def test_the_project_panel_partial(users, signed_project, entry, make_project, rf: RequestFactory):
    funds_plan_set(actor=users["district"], project=signed_project,
                   items=[{"due_date": D(2026, 3, 31), "amount": 2 * YI}])
    raise_alerts(today=D(2026, 3, 1))
    request = rf.get("/")
    request.user = users["district"]
    html = render_to_string("fulfilment/partials/project_panel.html",
                            {"fulfilment": project_fulfilment(actor=users["district"], project=signed_project,
                                                              today=D(2026, 4, 1))}, request=request)
    assert "履约监测" in html and "1.2亿元" in html and "24.0%" in html and "2亿元" in html
    assert "签约已120天仍未注册落地（规定90天）" in html
    assert reverse("fulfilment:project", args=[signed_project.pk]) in html
    # Before signing and without alerts it says nothing at all.
    quiet = make_project()
    assert render_to_string("fulfilment/partials/project_panel.html",
                            {"fulfilment": project_fulfilment(actor=users["district"], project=quiet)}).strip() == ""


def test_the_index_costs_the_same_queries_for_more_projects(client, users, make_project):
    def signed(n, start):
        for i in range(n):
            project = sign(make_project(name=f"示例签约项目{start + i}"), actor=users["district"],
                           specialist=users["office"])
            funds_entry_add(actor=users["district"], project=project, date=D(2025, 12, 1), amount=YI)
        raise_alerts(today=D(2026, 3, 1))

    def queries():
        client.force_login(users["office"])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("fulfilment:index")).status_code == 200
        return len(ctx.captured_queries)

    signed(2, 0)
    few = queries()
    signed(6, 2)
    assert queries() == few


# --- 到位资金台账 ---------------------------------------------------------------------------------------

def test_the_funds_ledger_lists_live_entries_newest_first_under_their_total(client, users, signed_project,
                                                                             other_signed_project, entry):
    from apps.fulfilment.services import funds_entry_delete

    later = funds_entry_add(actor=users["district"], project=signed_project, date=D(2026, 1, 10),
                            amount=3000 * WAN, note="二笔注资")
    wrong = funds_entry_add(actor=users["district"], project=signed_project, date=D(2026, 1, 11), amount=YI)
    funds_entry_delete(actor=users["district"], entry=wrong, reason="重复登记")
    funds_entry_add(actor=users["district2"], project=other_signed_project, date=D(2025, 11, 1), amount=2 * YI)
    client.force_login(users["office"])
    page = client.get(reverse("fulfilment:funds"))
    body = page.content.decode()
    assert [e.pk for e in page.context["page"].object_list][:2] == [later.pk, entry.pk]
    assert page.context["totals"] == {"total": Decimal("350000000.00"), "entries": 3, "projects": 2}
    assert "3.5亿元" in body and "精确金额 350,000,000.00 元" in body and "涉及项目 2 个，共 3 笔" in body
    assert "2026年1月10日" in body and "3,000万元" in body and "二笔注资" in body
    assert reverse("fulfilment:project", args=[signed_project.pk]) in body
    assert "2026年1月11日" not in body  # the withdrawn entry
    period = client.get(reverse("fulfilment:funds"), {"funds_from": "2025-12-01", "funds_to": "2025-12-31",
                                                      "unit": signed_project.unit_id})
    assert period.context["totals"]["total"] == Decimal("1.2") * YI
    assert "到位日期：2025年12月1日至2025年12月31日 · 承接区县：九龙坡区" in period.content.decode()


def test_a_bad_date_is_named_and_leaves_the_ledger_unfiltered_by_it(client, users, signed_project, entry):
    client.force_login(users["office"])
    page = client.get(reverse("fulfilment:funds"), {"funds_from": "2025-13-01", "funds_to": "2025-12-31"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "到位日期自：请按“年-月-日”填写日期，如 2025-11-01。" in body
    assert page.context["totals"]["total"] == Decimal("1.2") * YI
    assert "到位日期：…至2025年12月31日" in body
    assert page.context["filters"].selector_kwargs()["start"] is None


@pytest.mark.parametrize("role", OUTSIDERS)
def test_another_unit_finds_nothing_in_the_funds_ledger(client, users, role, signed_project, entry):
    client.force_login(users[role])
    page = client.get(reverse("fulfilment:funds"))
    assert page.context["totals"] == {"total": Decimal("0.00"), "entries": 0, "projects": 0}
    assert NAME not in page.content.decode() and "1.2亿" not in page.content.decode()


def test_the_funds_ledger_needs_a_login(client):
    response = client.get(reverse("fulfilment:funds"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_funds_ledger_costs_the_same_queries_for_more_entries(client, users, make_project, units,
                                                                    django_assert_num_queries):
    def signed(n, start):
        for i in range(n):
            project = sign(make_project(name=f"示例签约项目{start + i}"), actor=users["district"],
                           specialist=users["office"])
            funds_entry_add(actor=users["district"], project=project, date=D(2025, 12, 1), amount=YI)

    query = {"unit": units["九龙坡区"].pk, "funds_from": "2025-01-01", "funds_to": "2025-12-31"}
    client.force_login(users["office"])
    signed(2, 0)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("fulfilment:funds"), query).context["totals"]["entries"] == 2
    signed(8, 2)
    with django_assert_num_queries(len(ctx.captured_queries)):
        assert client.get(reverse("fulfilment:funds"), query).context["totals"]["entries"] == 10


def test_the_index_narrows_by_cluster_and_says_so(client, users, signed_project, other_signed_project):
    from apps.chains.models import Cluster
    from apps.projects.models import Project

    cluster = Cluster.objects.order_by("sort_order", "id").first()
    Project.objects.filter(pk=other_signed_project.pk).update(cluster=cluster)
    raise_alerts(today=D(2026, 3, 1))
    client.force_login(users["office"])
    page = client.get(reverse("fulfilment:index"), {"kind": "no_activity", "cluster": cluster.pk})
    body = page.content.decode()
    assert [a.project_id for a in page.context["alerts"].object_list] == [other_signed_project.pk]
    assert "共 1 条预警" in body and f"产业集群：{cluster.name}" in body
    assert f'<option value="{cluster.pk}" selected>' in body
    assert page.context["counts"]["total"] == 2  # the badges count the cluster's alerts, of every kind
    assert NAME not in body
    assert f'{reverse("fulfilment:funds")}?cluster={cluster.pk}' in body

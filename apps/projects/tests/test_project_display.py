"""The district name and stage badge tags (apps/projects/templatetags/project_display.py) in the lists."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from apps.units.models import Unit


def _render(text, **context):
    return Template("{% load project_display %}" + text).render(Context(context))


def test_a_merged_district_names_its_successor_from_the_day_it_ended(db):
    successor = Unit(pk=999, name="两江新区")
    ended = Unit(name="江北区", ended_on=datetime.date(2025, 11, 6), successor=successor)
    assert _render("{% unit_name unit %}", unit=ended, today=datetime.date(2025, 11, 6)) == "江北区（已并入两江新区）"
    assert _render("{% unit_name unit %}", unit=ended, today=datetime.date(2025, 11, 5)) == "江北区"
    # No date on the page: the name alone, as the include did.
    assert _render("{% unit_name unit %}", unit=ended) == "江北区"
    assert _render("{% unit_name unit day %}", unit=ended, day=datetime.date(2026, 1, 1)) == "江北区（已并入两江新区）"
    assert _render("{% unit_name unit %}", unit=None) == ""


def test_names_and_labels_are_escaped_and_stages_coloured():
    assert _render("{% unit_name unit %}", unit=Unit(name="<b>区</b>")) == "&lt;b&gt;区&lt;/b&gt;"
    assert _render("{% stage_badge 'signed' label %}", label="签约<") == \
        '<span class="badge text-bg-primary">签约&lt;</span>'
    assert _render("{% stage_badge 'clue' '线索' %}") == '<span class="badge text-bg-light border">线索</span>'


# projects/list.html's row before {% project_list_row %}, unchanged.
TEMPLATE_ROW = """{% load i18n project_display %}{% for project in rows %}
      <tr>
        <td>
          <a href="{% url 'projects:detail' project.pk %}">{{ project.name }}</a>
          {% if project.is_sample %}<span class="badge badge-sample ms-1">{% translate '示例' %}</span>{% endif %}
          {% if project.priority == 'high' %}<span class="badge text-bg-danger ms-1">{{ project.get_priority_display }}</span>{% endif %}
          <div class="d-md-none small text-muted">{{ project.organisation.name }}</div>
        </td>
        <td class="d-none d-md-table-cell">{{ project.organisation.name }}</td>
        <td>{% unit_name project.unit %}</td>
        <td>{% stage_badge project.stage project.get_stage_display %}</td>
        <td class="text-end amount">{{ project.planned_investment|amount }}</td>
        <td class="d-none d-lg-table-cell">{{ project.cluster.name|default:"—" }}</td>
        <td class="d-none d-lg-table-cell">{{ project.get_chain_role_display|default:"—" }}</td>
        <td class="d-none d-md-table-cell">{{ project.specialist.display_name|default:"—" }}</td>
        <td class="d-none d-md-table-cell text-nowrap">{{ project.updated_at|cndate }}</td>
      </tr>
      {% endfor %}"""


def _collapsed(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_project_row_tag_writes_what_the_template_wrote(language, make_project, users, units):
    """The list's rows, read as plain values (project_list_rows), against the old template on the same projects
    read as model instances: every column, both languages, a merged district, escaping, and a row with nothing
    optional set."""
    from decimal import Decimal

    from django.core.paginator import Paginator

    from apps.chains.models import Cluster
    from apps.organisations.services import organisation_create
    from apps.projects.models import Project
    from apps.projects.selectors import project_list, project_list_page, project_list_rows

    quoted = organisation_create(actor=users["office"], name='北京"某"科技有限公司')
    full = make_project(name="<算力>中心 & 园区", organisation=quoted, priority="high", chain_role="fill",
                        planned_investment=Decimal("500000000"), cluster=Cluster.objects.order_by("pk").first(),
                        specialist=users["specialist"])
    bare = make_project(name="某项目", unit_name="长寿区")
    # 江北区 was merged into 两江新区 (reference/divisions); 17:30 UTC is the next morning in Beijing: the row shows
    # Beijing's day, as |cndate did.
    Project.objects.filter(pk=full.pk).update(is_sample=True, unit=units["江北区"],
                                              updated_at=datetime.datetime(2025, 11, 1, 17, 30, tzinfo=datetime.UTC))
    Project.objects.filter(pk=bare.pk).update(updated_at=datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC))

    listed = project_list(actor=users["office"])
    rows = project_list_page(Paginator(project_list_rows(listed), 25), "1").object_list
    instances = list(listed)
    assert [row.pk for row in rows] == [project.pk for project in instances] == [bare.pk, full.pk]
    tag = "{% load project_display %}{% for row in rows %}{% project_list_row row %}\n{% endfor %}"
    today = datetime.date(2026, 1, 1)
    with translation.override(language):
        before = Template(TEMPLATE_ROW).render(Context({"rows": instances, "today": today}))
        after = Template(tag).render(Context({"rows": rows, "today": today}))
    assert _collapsed(after) == _collapsed(before)
    assert after.count("<tr>") == 2 and f'href="/projects/{bare.pk}/"' in after
    assert "&lt;算力&gt;中心 &amp; 园区" in after and "北京&quot;某&quot;科技" in after
    assert ("Nov. 2, 2025" if language == "en" else "2025年11月2日") in after
    assert "江北区" in after and "两江新区" in after  # the merged district names its successor
    assert "—" in after  # the bare row: no cluster, chain role or specialist

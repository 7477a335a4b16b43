"""{% organisation_result_row %} writes the markup of the template rows it replaced (kept here verbatim), on rows
with every badge and none, escaped names and marked fragments, in Chinese and in English."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from apps.organisations.models import Organisation
from apps.organisations.views import highlight

# organisations/partials/organisation_results.html's row before the tag, unchanged.
TEMPLATE_ROWS = """{% load i18n %}
      {% translate '匹配方式' as match_title %}{% translate '简称/曾用名' as alias_title %}
      {% for row in rows %}
      <tr>
        <td>
          <a href="{% url 'organisations:detail' row.org.pk %}" class="fw-semibold">{{ row.name_html }}</a>
          {% if row.match_label %}<span class="badge text-bg-light border fw-normal match-class-{{ row.match_class }}" title="{{ match_title }}">{{ row.match_label }}</span>{% endif %}
          {% if row.org.is_sample %}<span class="badge badge-sample">{% translate '示例' %}</span>{% endif %}
          {% if row.org.is_fortune500 %}<span class="badge text-bg-info">{% translate '世界500强' %}</span>{% endif %}
          {% if row.org.is_specialised %}<span class="badge text-bg-success">{% translate '专精特新' %}</span>{% endif %}
          {% if row.org.is_listed %}<span class="badge text-bg-secondary">{% translate '上市企业' %}</span>{% endif %}
          {% if row.aliases %}<div class="small text-muted">{{ alias_title }}：{% for alias in row.aliases %}{{ alias }}{% if not forloop.last %}、{% endif %}{% endfor %}</div>{% endif %}
          <div class="small text-muted d-md-none">{{ row.org.get_kind_display }}{% if row.org.region %} · {{ row.org.region }}{% endif %}</div>
        </td>
        <td class="d-none d-md-table-cell">{{ row.org.get_kind_display }}</td>
        <td class="d-none d-lg-table-cell">{{ row.org.get_industry_section_display|default:"—" }}</td>
        <td class="d-none d-lg-table-cell">{{ row.org.region|default:"—" }}</td>
        <td class="d-none d-md-table-cell font-monospace small">{{ row.code_html|default:"—" }}</td>
      </tr>
      {% endfor %}"""

TAG_ROWS = "{% load organisation_display %}{% for row in rows %}{% organisation_result_row row %}\n{% endfor %}"


def _collapsed(html: str) -> str:
    # The browser's view of it: runs of white space are one space.
    return re.sub(r"\s+", " ", html).strip()


def _rows():
    everything = Organisation(pk=7, name="北京<b>智算</b>科技有限公司", kind="central_soe", region="北京市海淀区",
                              industry_section="I", credit_code="91110108MA01ABCD1X", is_sample=True,
                              is_fortune500=True, is_specialised=True, is_listed=True)
    bare = Organisation(pk=1234567, name="重庆某某研究院", kind="institute", region="", industry_section="",
                        credit_code="")
    half = Organisation(pk=42, name="A&B \"引号\" 公司", kind="enterprise", region="天津市", is_listed=True)
    # A value no longer among the choices shows as itself, on both.
    retired = Organisation(pk=5, name="旧分类单位", kind="retired_kind", industry_section="Z")
    return [
        {"org": everything, "name_html": highlight(everything.name, "智算"),
         "aliases": [highlight("智算<i>", "智算"), highlight("北智", "智算")],
         "code_html": highlight(everything.credit_code, "9111"), "match_label": "包含", "match_class": "2"},
        {"org": bare, "name_html": highlight(bare.name, ""), "aliases": [], "code_html": None,
         "match_label": "", "match_class": ""},
        {"org": half, "name_html": highlight(half.name, "引号"), "aliases": ["'单引号'"], "code_html": "",
         "match_label": "全称相同", "match_class": "0"},
        {"org": retired, "name_html": highlight(retired.name, ""), "aliases": [], "code_html": None,
         "match_label": "", "match_class": ""},
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_row_tag_writes_what_the_template_wrote(language):
    rows = _rows()
    with translation.override(language):
        before = Template(TEMPLATE_ROWS).render(Context({"rows": rows}))
        after = Template(TAG_ROWS).render(Context({"rows": rows}))
    assert _collapsed(after) == _collapsed(before)
    # What the comparison stands on: the rows, their badges and the escaping are really there.
    assert after.count("<tr>") == 4 and 'href="/organisations/1234567/"' in after
    assert "北京&lt;b&gt;<mark>智算</mark>&lt;/b&gt;科技有限公司" in after
    assert "&#x27;单引号&#x27;" in after and "A&amp;B &quot;" in after
    assert ("Fortune Global 500" if language == "en" else "世界500强") in after
    assert "retired_kind" in after

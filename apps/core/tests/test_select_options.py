"""{% select_options %} writes what the template loop it replaced wrote, for every filter value a URL can hold."""

import pytest
from django.template import engines
from django.utils.translation import override

from apps.organisations.choices import IndustrySection, OrgKind
from apps.organisations.filters import OrganisationFilter

LOOP = ('{% for value, label in form.fields.FIELD.choices %}<option value="{{ value }}"'
        "{% if form.FIELD.value == value %} selected{% endif %}>{{ label }}</option>{% endfor %}")
TAG = "{% select_options form.FIELD %}"


def _render(source: str, field: str, form) -> str:
    return engines["django"].from_string(source.replace("FIELD", field)).render({"form": form})


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("data", [
    None,  # /organisations/ with no filter: the form is unbound
    {"q": "科技"},
    {"kind": OrgKind.values[1], "industry_section": IndustrySection.values[2]},
    {"kind": "foo", "industry_section": '"><script>alert(1)</script>'},  # a hand-edited address
    {"kind": "", "industry_section": ""},
])
def test_options_are_the_loops_markup(language, data):
    form = OrganisationFilter(data)
    with override(language):
        for field in ("kind", "industry_section"):
            expected = _render(LOOP, field, form)
            assert _render(TAG, field, form) == expected
            assert expected.count("<option") == len(form.fields[field].choices)


def test_the_current_value_is_selected_and_nothing_else():
    form = OrganisationFilter({"industry_section": "C"})
    with override("zh-hans"):
        html = _render(TAG, "industry_section", form)
    assert html.count(" selected") == 1
    assert '<option value="C" selected>C 制造业</option>' in html

"""{% form_field %} writes the markup of the template partials/field.html it replaced (kept here verbatim), for
every field of every form class in the product: unbound and bound with errors, wide and not, required by the
form or by the caller, checkboxes, hidden fields, help texts and labels that need escaping."""

import copy
import re

import pytest
from django import forms
from django.template import Context, Template

from apps.core.tests.test_renderers import _product_forms

# templates/partials/field.html before the tag, unchanged.
PARTIAL = """{% if field.is_hidden %}{{ field }}{% else %}
<div class="mb-3{% if wide %} col-12{% else %} col-12 col-md-6{% endif %}">
  {% if field.widget_type == "checkbox" %}
  <div class="form-check">
    {{ field }}
    <label class="form-check-label" for="{{ field.id_for_label }}">{{ field.label }}</label>
  </div>
  {% else %}
  <label class="form-label" for="{{ field.id_for_label }}">{{ field.label }}{% if field.field.required or required %}<span class="text-danger ms-1" aria-hidden="true">*</span>{% endif %}</label>
  {{ field }}
  {% endif %}
  {% for error in field.errors %}<div class="invalid-feedback d-block">{{ error }}</div>{% endfor %}
  {% if field.help_text %}<div class="form-text">{{ field.help_text }}</div>{% endif %}
</div>{% endif %}"""
OLD = Template(PARTIAL)
NEW = Template("{% form_field field wide=wide required=required %}")


def _collapsed(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def _same(bound, **flags):
    context = {"field": bound, "wide": flags.get("wide", False), "required": flags.get("required", False)}
    before, after = OLD.render(Context(context)), NEW.render(Context(context))
    assert _collapsed(after) == _collapsed(before), (bound.name, flags)
    return after


class Escaping(forms.Form):
    name = forms.CharField(label="名称<b>", help_text="如：\"北京\" & <i>天津</i>", max_length=3)
    agree = forms.BooleanField(label="同意<条款>", required=False, help_text="勾选<即>同意")
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(widget=forms.Textarea, required=False)


@pytest.mark.parametrize("data", [None, {}, {"name": "太长的名称<x>", "agree": "on", "note": "第一行\n第二行"}])
@pytest.mark.parametrize("flags", [{}, {"wide": True}, {"required": True}, {"wide": True, "required": True}])
def test_labels_help_errors_and_values_are_escaped_as_the_partial_escaped_them(data, flags):
    form = Escaping(data)
    for bound in form:
        html = _same(bound, **flags)
        if bound.name == "name":
            assert "名称&lt;b&gt;" in html and "&lt;i&gt;天津&lt;/i&gt;" in html
    if data:
        assert "invalid-feedback" in _same(form["name"])


@pytest.mark.django_db
def test_every_field_of_every_form_in_the_product(units):
    checked = 0
    for cls in _product_forms():
        for name, field in cls.base_fields.items():
            if getattr(field, "queryset", ...) is None:
                continue  # a model choice whose queryset the form sets per person
            single = type("Single", (forms.Form,), {name: copy.deepcopy(field)})
            for data in (None, {}):  # unbound; bound and empty, so a required field shows its error
                bound = single(data)[name]
                _same(bound)
                _same(bound, wide=True, required=True)
                checked += 1
    assert checked > 300

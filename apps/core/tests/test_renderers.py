"""The Python-rendered <select> (apps.core.renderers) must be Django's markup byte for byte, for every select of
every form class in the product: plain choices, model choices, optgroups, a selected value, required, disabled and
multiple, and names and labels that need escaping."""

import inspect

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from apps.core.renderers import FormRenderer

DJANGO = DjangoTemplates()
FAST = FormRenderer()


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=[("", "全部"), ("a&b", "甲<乙>"), ("c", '丙"丁')], required=False)
    grouped = forms.ChoiceField(choices=[("华北", [("bj", "北京"), ("tj", "天津")]), ("cq", "重庆")])
    many = forms.MultipleChoiceField(choices=[("1", "一"), ("2", "二"), ("3", "三")],
                                     widget=forms.SelectMultiple(attrs={"class": "form-select", "data-x": "<y>"}))
    off = forms.ChoiceField(choices=[("1", "一")], disabled=True)


@pytest.mark.parametrize("name, value", [("plain", "a&b"), ("plain", None), ("grouped", "tj"), ("grouped", "cq"),
                                         ("many", ["1", "3"]), ("off", "1")])
def test_sample_selects_render_as_djangos(name, value):
    field = Sample.base_fields[name]
    expected = field.widget.render(name, value, attrs={"id": "x", "required": True}, renderer=DJANGO)
    assert field.widget.render(name, value, attrs={"id": "x", "required": True}, renderer=FAST) == expected
    assert "<option" in expected


def _product_forms():
    from django.apps import apps

    seen = []
    for config in apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        for module_name in ("forms", "filters"):
            try:
                module = __import__(f"{config.name}.{module_name}", fromlist=["x"])
            except ImportError:
                continue
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__ and cls not in seen:
                    seen.append(cls)
    return seen


@pytest.mark.django_db
def test_every_select_in_the_product_renders_as_djangos(units):
    checked = 0
    for cls in _product_forms():
        for name, field in cls.base_fields.items():
            if not isinstance(field.widget, forms.Select) or getattr(field, "queryset", ...) is None:
                continue  # a model choice whose queryset the form sets per person
            choices = list(field.choices)[:3]
            for value in [None, *(c[0] for c in choices if not isinstance(c[1], (list, tuple)))]:
                expected = field.widget.render(name, value, attrs={"id": "x"}, renderer=DJANGO)
                assert field.widget.render(name, value, attrs={"id": "x"}, renderer=FAST) == expected, (
                    cls.__name__, name, value)
                checked += 1
    assert checked > 50

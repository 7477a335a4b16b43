"""The Python-rendered <select>, <input> and <textarea> (apps.core.renderers) must be Django's markup byte for byte,
for every widget of every form class in the product: plain choices, model choices, optgroups, a selected value,
required, disabled and multiple; inputs of every type with and without a value, checked and unchecked boxes,
textareas empty and filled; and names, labels and values that need escaping."""

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


class Inputs(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "名称<或>代码"}))
    number = forms.DecimalField()
    email = forms.EmailField()
    url = forms.URLField(assume_scheme="https")
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    datetime = forms.DateTimeField()
    box = forms.BooleanField(required=False)
    upload = forms.FileField()
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "data-x": '"q"'}))


@pytest.mark.parametrize("value", [None, "", "a&b <i>\"甲\"</i>", "第一行\n第二行", 0, 12.5, True, False])
@pytest.mark.parametrize("name", list(Inputs.base_fields))
def test_sample_inputs_render_as_djangos(name, value):
    widget = Inputs.base_fields[name].widget
    expected = widget.render(name, value, attrs={"id": "x", "required": True, "disabled": False}, renderer=DJANGO)
    assert widget.render(name, value, attrs={"id": "x", "required": True, "disabled": False}, renderer=FAST) == expected
    assert "<input" in expected or "<textarea" in expected


@pytest.mark.django_db
def test_every_input_and_textarea_in_the_product_renders_as_djangos(units):
    checked = 0
    for cls in _product_forms():
        for name, field in cls.base_fields.items():
            if isinstance(field.widget, (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple)):
                continue  # the selects have their own test; radios and box lists stay with the templates
            for value in (None, "", "甲&乙<b>", "2025-11-02", "12.5", True):
                widget = field.widget
                try:
                    expected = widget.render(name, value, attrs={"id": "x"}, renderer=DJANGO)
                except (ValueError, ArithmeticError, TypeError):
                    continue  # a value this widget cannot show (the amount widget given words)
                assert widget.render(name, value, attrs={"id": "x"}, renderer=FAST) == expected, (
                    cls.__name__, name, value)
                checked += 1
    assert checked > 300


class _StoredFile:
    """What a ClearableFileInput is given for a file already saved: a name and a URL."""
    url = "/media/evidence/a&b.pdf"

    def __str__(self):
        return "佐证<1>.pdf"


@pytest.mark.parametrize("required", [True, False])
@pytest.mark.parametrize("value", [None, "", _StoredFile()])
def test_file_upload_with_and_without_a_stored_file_renders_as_djangos(value, required):
    widget = forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".pdf,.jpg"})
    widget.is_required = required
    expected = widget.render("evidence_file", value, attrs={"id": "x"}, renderer=DJANGO)
    assert widget.render("evidence_file", value, attrs={"id": "x"}, renderer=FAST) == expected
    assert ('type="checkbox"' in expected) == (isinstance(value, _StoredFile) and not required)

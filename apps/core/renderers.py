"""The form renderer: Django's templates, except for the <select>.

Django renders a select through a template that includes another template for every option; a list page's
filter form (40 districts, the clusters, the stages) spent about a fifth of the page's time there. This renders
the same markup — byte for byte, checked against Django's templates in apps/core/tests/test_renderers.py — in
Python. A widget with its own select or option template is left to the templates."""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    # django/forms/widgets/attrs.html: False leaves the attribute out, True writes its bare name; a value already
    # marked safe is written as it is (stringformat keeps the mark), anything else is escaped.
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(out)


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            parts.append(f'\n  <option value="{conditional_escape(option["value"])}"'
                         f'{_attrs(option["attrs"])}>{conditional_escape(option["label"])}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            html = _select(context["widget"])
            if html is not None:
                return mark_safe(html)  # every value above is escaped
        return super().render(template_name, context, request)

"""The form renderer: Django's templates, except for the <select>, the <input> and the <textarea>.

Django renders a select through a template that includes another template for every option; a list page's
filter form (40 districts, the clusters, the stages) spent about a fifth of the page's time there. An input or a
textarea goes through two or three templates too (text.html includes input.html, which includes attrs.html):
the project page's stage form spent about 1 ms there, and its evidence upload (a ClearableFileInput with no file
yet) another 0.2 ms. This renders the same markup — byte for byte, checked
against Django's templates for every widget of every form in apps/core/tests/test_renderers.py — in Python. A
widget with a template of its own (or a select with its own option template) is left to the templates. So an
override of one of Django's own widget templates named here (templates/django/forms/widgets/…) would not take
effect: change the function below instead, and the test compares it with Django's."""

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from apps.core.html import escape_value  # conditional_escape, without its per-call lazy check (core.html)

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
TEXTAREA = "django/forms/widgets/textarea.html"
CLEARABLE_FILE = "django/forms/widgets/clearable_file_input.html"
# The widget templates that are nothing but {% include "django/forms/widgets/input.html" %}.
INPUTS = frozenset(f"django/forms/widgets/{name}.html" for name in (
    "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel",
    "color", "checkbox", "file"))


def _attrs(attrs: dict) -> str:
    # django/forms/widgets/attrs.html: False leaves the attribute out, True writes its bare name; a value already
    # marked safe is written as it is (stringformat keeps the mark), anything else is escaped.
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {escape_value(name)}")
        else:
            out.append(f' {escape_value(name)}="{escape_value(value)}"')
    return "".join(out)


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{escape_value(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape_value(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            parts.append(f'\n  <option value="{escape_value(option["value"])}"'
                         f'{_attrs(option["attrs"])}>{escape_value(option["label"])}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _input(widget: dict) -> str:
    # django/forms/widgets/input.html; the value is left out only when it is None ({% if widget.value != None %}).
    value = widget["value"]
    shown = "" if value is None else f' value="{escape_value(value)}"'
    return (f'<input type="{escape_value(widget["type"])}" name="{escape_value(widget["name"])}"'
            f'{shown}{_attrs(widget["attrs"])}>')


def _textarea(widget: dict) -> str:
    # django/forms/widgets/textarea.html: the newline after the opening tag is part of Django's markup.
    value = widget["value"]
    return (f'<textarea name="{escape_value(widget["name"])}"{_attrs(widget["attrs"])}>\n'
            f'{escape_value(value) if value else ""}</textarea>')


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUTS:
            return mark_safe(_input(context["widget"]))  # every value in it is escaped
        if template_name == CLEARABLE_FILE and not context["widget"]["is_initial"]:
            # Without a file already there (no link, no 清除 box) the template is its last line: input.html's
            # markup, and the widget gives no value (ClearableFileInput.format_value), so none is written.
            return mark_safe(_input(context["widget"]))
        if template_name == TEXTAREA:
            return mark_safe(_textarea(context["widget"]))
        if template_name == SELECT:
            html = _select(context["widget"])
            if html is not None:
                return mark_safe(html)
        return super().render(template_name, context, request)

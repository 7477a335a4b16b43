"""Django's i18n template library, with {% translate "literal" %} kept per language.

settings.TEMPLATES maps the label "i18n" here, so `{% load i18n %}` in every template loads this: all of Django's
tags and filters, unchanged, except that a {% translate %} of a literal — no variable, no filter, no `as` — keeps
what it rendered for each language on the compiled template's node. Django's node makes a lazy string, translates
it and renders it on every render: about 17 µs each on the 2-core host, and a project's page has some forty
(docs/benchmarks.md, tenth round). A literal's translation follows from the language alone (the catalogues are
loaded once per process; a literal from the template is trusted text, so escaping leaves it as it is).
test_translate_tag compares it with Django's for every {% translate %} of the product's templates in both languages."""

from django import template
from django.templatetags import i18n as django_i18n
from django.utils.translation import get_language

from apps.core.templatetags.display import KEEPING

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)


class KeptTranslateNode(django_i18n.TranslateNode):
    def __init__(self, node: django_i18n.TranslateNode):
        super().__init__(node.filter_expression, node.noop, node.asvar, node.message_context)
        self.kept = {}
        KEEPING.add(self)  # forgotten when a test changes a setting (display._forget_kept_text)

    def render(self, context):
        key = (get_language(), context.autoescape)
        found = self.kept.get(key)
        if found is None:
            found = self.kept[key] = super().render(context)
        return found


def _constant(node: django_i18n.TranslateNode) -> bool:
    expression = node.filter_expression
    literal = getattr(expression.var, "lookups", "no") is None  # a quoted string, not a variable
    context_literal = node.message_context is None or getattr(node.message_context.var, "lookups", "no") is None
    return literal and not expression.filters and context_literal and node.asvar is None


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    """Django's {% translate %}; kept per language when it translates a literal (see the module's docstring)."""
    node = django_i18n.do_translate(parser, token)
    return KeptTranslateNode(node) if _constant(node) else node

"""{% load i18n %} is Django's library with {% translate "literal" %} kept per language (apps/core/templatetags/
i18n_kept.py): every such node of the product's templates renders as Django's would, in both languages, the
first time and from what it kept; a {% translate %} of a variable is Django's own, rendered every time."""

from django.template import Context, Template, engines
from django.template.base import NodeList
from django.templatetags import i18n as django_i18n
from django.utils import translation

from apps.core.templatetags.i18n_kept import KeptTranslateNode
from apps.core.warmup import _template_names


def _all_nodes(nodelist):
    # Into every child list, including the one {% render_once %} hides from Django's walk for blocks.
    for node in nodelist:
        yield node
        for attribute in {*node.child_nodelists, "nodelist"}:
            inner = getattr(node, attribute, None)
            if isinstance(inner, NodeList):
                yield from _all_nodes(inner)


def test_every_literal_translation_in_the_templates_renders_as_djangos():
    backend = engines["django"]
    kept = []
    for name in _template_names(backend):
        template = backend.engine.get_template(name)
        kept += [node for node in set(_all_nodes(template.nodelist)) if isinstance(node, KeptTranslateNode)]
    assert len(kept) > 500
    for language in ("zh-hans", "en", "zh-hans"):
        with translation.override(language):
            for node in kept:
                django = django_i18n.TranslateNode(node.filter_expression, node.noop, node.asvar,
                                                   node.message_context)
                for autoescape in (True, False):
                    expected = django.render(Context({}, autoescape=autoescape))
                    assert node.render(Context({}, autoescape=autoescape)) == expected
                    assert type(node.render(Context({}, autoescape=autoescape))) is type(expected)
    # Both languages were really compared: the English of a menu label is not its Chinese.
    with translation.override("en"):
        english = Template('{% load i18n %}{% translate "招商项目" %}').render(Context({}))
    assert english and english != "招商项目"


def test_a_translation_of_a_variable_or_with_a_filter_or_as_is_djangos_own():
    template = Template('{% load i18n %}{% translate word %}|{% translate "退出"|upper %}|'
                        '{% translate "退出" as label %}{{ label }}')
    assert not any(isinstance(node, KeptTranslateNode) for node in template.nodelist)
    with translation.override("en"):
        assert template.render(Context({"word": "退出"})) == template.render(Context({"word": "退出"}))
        first = template.render(Context({"word": "退出"}))
        second = template.render(Context({"word": "修改密码"}))
    assert first.split("|")[0] != second.split("|")[0]  # the variable's own translation each time


def test_the_one_template_library_label_that_names_two_modules_is_i18n():
    # settings silence templates.W003 for the i18n label mapped on purpose; any other clash must still be caught.
    warnings = engines["django"]._check_for_template_tags_with_the_same_name()  # what templates.W003 runs
    assert [warning.id for warning in warnings] == ["templates.W003"]
    assert "'i18n' is used for multiple template tag modules" in warnings[0].msg
    assert "apps.core.templatetags.i18n_kept" in warnings[0].msg and "django.templatetags.i18n" in warnings[0].msg

"""The builtins of every template (settings.TEMPLATES): filters for the way Chinese official documents write
amounts and dates, the house's form field and <select> options, and what makes every page cheaper — paths reversed
once per process ({% fixed_url %}, and {% url %} itself) and a frame rendered once per language ({% render_once %})."""

import datetime
import functools
import itertools
import weakref
from decimal import Decimal

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.template.loader_tags import BlockNode
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import formats
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from apps.core.html import escape_value
from apps.core.money import format_amount
from apps.core.paths import fixed_path

register = template.Library()


@register.filter
def amount(value):
    """{{ project.planned_investment|amount }} → 5亿元"""
    return format_amount(value)


@register.filter
def exact_yuan(value):
    """{{ total|exact_yuan }} → 2,705,000,000.00: to the fen with thousands separators, as a ledger prints
    it (Django's zh-hans number format has no grouping, so floatformat:"2g" would not)."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter(expects_localtime=True)  # a datetime near midnight UTC is the next day in Beijing
def cndate(value):
    """2025年11月1日 in Chinese, Nov. 1, 2025 in English — from Django's locale formats."""
    if not value:
        return "—"
    # A list prints a date on every row, and Django's date formatting (a parse of the format for every call)
    # cost about 25 µs each: the same day is formatted once per language. DATE_FORMAT has no time in it.
    day = value.date() if isinstance(value, datetime.datetime) else value
    return _date_text(day, get_language())


@functools.lru_cache(maxsize=4096)
def _date_text(day: datetime.date, language: str) -> str:
    return formats.date_format(day, "DATE_FORMAT")  # in the active language, which is part of the key


@register.filter(expects_localtime=True)  # stored in UTC; shown in Beijing time like {{ value|date }}
def cndatetime(value):
    if not value:
        return "—"
    return formats.date_format(value, "DATETIME_FORMAT")


@register.simple_tag
def select_options(bound_field):
    """{% select_options filters.kind %}: the <option>s of a filter's <select>, the current value selected — the
    markup of {% for value, label in form.fields.kind.choices %}<option value="{{ value }}"{% if form.kind.value ==
    value %} selected{% endif %}>{{ label }}</option>{% endfor %}, which cost about 0.5 ms for the library's 21
    industry sections (three template nodes an option); apps/core/tests/test_select_options.py compares the two."""
    current = bound_field.value()
    return mark_safe("".join(  # every value and label escaped
        f'<option value="{escape_value(value)}"{" selected" if current == value else ""}>{escape_value(label)}</option>'
        for value, label in bound_field.field.choices))


@register.simple_tag
def fixed_url(name):
    """{% fixed_url 'core:home' %}: {% url %} for a route without arguments, reversed once per process (the menu
    bar links seven on every page, at about 15 µs a reverse)."""
    return fixed_path(name)


@register.simple_tag
def form_field(field, wide=False, required=False):
    """{% form_field form.name wide=True required=True %}: one form field in the house layout — its label (a red
    * when the field is required, or when the caller says required=True because the service, not the form,
    insists), the widget, its errors and help text; a checkbox as a form-check; wide=True takes the whole row.

    This was the template partials/field.html, included some 160 times across the forms; as an include it cost
    about 0.2 ms a field (a page's form of five fields was a quarter of the page's template time). The markup is
    the partial's: test_form_field renders both for every field of every form in the product."""
    if field.is_hidden:
        return str(field)
    errors = format_html_join("", '<div class="invalid-feedback d-block">{}</div>', ((e,) for e in field.errors))
    help_text = format_html('<div class="form-text">{}</div>', field.help_text) if field.help_text else ""
    if field.widget_type == "checkbox":
        body = format_html('<div class="form-check"> {} <label class="form-check-label" for="{}">{}</label> </div>',
                           field, field.id_for_label, field.label)
    else:
        star = '<span class="text-danger ms-1" aria-hidden="true">*</span>' if field.field.required or required else ""
        body = format_html('<label class="form-label" for="{}">{}{}</label> {}', field.id_for_label, field.label,
                           mark_safe(star), field)
    return format_html('<div class="mb-3 {}"> {} {} {} </div>', "col-12" if wide else "col-12 col-md-6", body, errors,
                       help_text)


# Off only in the test that compares the frame rendered from kept copies with the frame rendered afresh.
RENDER_ONCE = {"keep": True}
# Every node that keeps text (here and in i18n_kept), to forget it all when a setting changes: that happens only in
# tests (override_settings), where a kept frame would otherwise show the settings of an earlier test.
KEEPING = weakref.WeakSet()


@receiver(setting_changed)
def _forget_kept_text(**kwargs):
    for node in list(KEEPING):
        node.kept.clear()
RENDER_ONCE_KEYS = 16  # per block: its arguments take a handful of values (2 languages, a few permissions)
_MARKING = "_render_once_marking"


class PerRequestNode(template.Node):
    owner = None  # the RenderOnceNode it is a part of (set when that is parsed)
    index = 0

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def marker(self) -> str:
        return f"\x1fper-request-{self.index}\x1f"

    def render(self, context):
        # While its own block is rendered to be kept, a marker where this part goes; otherwise, itself.
        if self.owner is not None and context.get(_MARKING) is self.owner:
            return self.marker()
        return self.nodelist.render(context)


class RenderOnceNode(template.Node):
    # Django's ExtendsNode walks the root template's nodes for {% block %}s on every render; the kept text needs
    # no walking (and a block inside would be ignored, so parsing refuses one).
    child_nodelists = ()

    def __init__(self, nodelist, arguments, slots):
        self.nodelist, self.arguments, self.slots = nodelist, arguments, slots
        self.kept = {}  # (script prefix, *arguments) → the block's text between its per-request parts
        KEEPING.add(self)

    def render(self, context):
        if not RENDER_ONCE["keep"]:
            return self.nodelist.render(context)
        key = (get_script_prefix(), *(argument.resolve(context) for argument in self.arguments))
        kept = self.kept.get(key)
        if kept is None:
            with context.push({_MARKING: self}):
                text = self.nodelist.render(context)
            kept = self._split(text)
            if len(self.kept) < RENDER_ONCE_KEYS:
                self.kept[key] = kept
        first, rest = kept
        if not rest:
            return first
        out = [first]
        for slot, piece in rest:
            out.append(slot.nodelist.render(context))
            out.append(piece)
        return mark_safe("".join(out))  # the kept pieces and the parts are each rendered (and escaped) by their nodes

    def _split(self, text: str) -> tuple:
        """(the text before the first per-request part, ((that part's node, the text after it), …)). A part inside
        an {% if %} on the block's arguments may be absent; one that rendered twice (in a loop) is refused."""
        rest, after = text, []
        for slot in reversed(self.slots):
            before, found, tail = rest.rpartition(slot.marker())
            if found:
                if slot.marker() in before:
                    raise template.TemplateSyntaxError(
                        "{% per_request %} inside {% render_once %} must not be inside a loop")
                after.append((slot, mark_safe(tail)))
                rest = before
        if any(slot.marker() in rest for slot in self.slots):
            raise template.TemplateSyntaxError("{% per_request %} parts inside {% render_once %} out of order")
        return mark_safe(rest), tuple(reversed(after))


@register.tag
def render_once(parser, token):
    """{% render_once LANGUAGE_CODE nav.may_import %}…{% per_request %}…{% endper_request %}…{% endrender_once %}:
    the block is rendered the first time for each value of its arguments in this process and its text kept;
    after that only its {% per_request %} parts are rendered, and put between the kept pieces.

    For the page frame (base.html): its brand, menu, search box, account menu, footer and script tags are the same
    on every page for everyone with the same language (and, for the menu, the same three permissions) except for a
    few values — the bell, the person's name, the CSRF token, the search box's text. Rendered through their
    template nodes they were about two thirds of the frame's 3,800 Python calls on every page (docs/benchmarks.md,
    tenth round). Django's {% cache %} keeps text the same way but through the cache backend (a key hashed and a
    value unpickled on every use) and has no per-request parts; here the text is kept on the compiled template's
    node itself, so it goes when the template does.

    Outside its {% per_request %} parts, whatever the block shows must follow from its arguments alone and from
    what a process never changes (settings, URL paths, static file names): never the user, the request, a record
    or the time. test_render_once renders three pages for every role, in both languages and with the per-request
    parts varied, from kept text and afresh, and compares them."""
    bits = token.split_contents()[1:]
    nodelist = parser.parse(("endrender_once",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% block %} cannot be inside {% render_once %}")
    slots = nodelist.get_nodes_by_type(PerRequestNode)
    node = RenderOnceNode(nodelist, [parser.compile_filter(bit) for bit in bits], slots)
    for index, slot in enumerate(slots):
        slot.owner, slot.index = node, index  # numbered in the order they appear, as _split expects them
    return node


@register.tag
def per_request(parser, token):
    """{% per_request %}…{% endper_request %}: inside {% render_once %}, a part rendered on every request."""
    nodelist = parser.parse(("endper_request",))
    parser.delete_first_token()
    return PerRequestNode(nodelist)


@functools.lru_cache(maxsize=4096)
def _reverse_kept(view_name: str, args: tuple, kwargs: tuple, current_app, prefix: str, urlconf) -> str:
    # prefix: reverse() reads the script prefix itself; in the key, a path is never served under another one.
    return reverse(view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)


@receiver(setting_changed)
def _forget_reversed_paths(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":  # as Django forgets its own (tests that route elsewhere)
        _reverse_kept.cache_clear()


def _keyable(value) -> bool:
    # Text (a literal in the template is a SafeString) and integers, but not booleans: True would share 1's key.
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


class KeptURLNode(URLNode):
    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {name: value.resolve(context) for name, value in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        if not isinstance(view_name, str) or not all(_keyable(value) for value in itertools.chain(args,
                                                                                                  kwargs.values())):
            return super().render(context)  # an instance or a lazy string: Django's, as it would convert it
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        try:
            url = _reverse_kept(view_name, tuple(args), tuple(kwargs.items()), current_app, get_script_prefix(),
                                get_urlconf())
        except NoReverseMatch:
            if self.asvar is None:
                raise
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Django's {% url %}, the same arguments and the same text, with each path reversed once per process for its
    route and arguments (a bounded LRU) instead of on every render.

    Django's reverse() matched its candidate patterns on every call: about 40 µs on the 2-core host, and a {% url %}
    node 60 µs — a project's page links fourteen, and there are some 390 across the templates (docs/benchmarks.md,
    tenth round). Registered among the engine's builtins after Django's own, this tag takes the name's place in
    every template. The path depends on nothing but the route's name and arguments, the URLconf, the namespace
    the request came through and the script prefix, which are the key; arguments other than numbers and strings
    (a model instance, a lazy string) go through Django's node unchanged. test_url_tag compares the two."""
    node = django_url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)

"""get_FOO_display is served from a per-language dict (apps.core.choices): it must say exactly what Django's own
method says, for every value of every fixed-choice field, in both languages."""

from django.apps import apps
from django.db.models import Model
from django.utils import translation

from apps.core import choices


def _fixed_fields():
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if choices._fixed_choices(field):
                yield model, field


def test_every_fixed_choice_field_uses_the_fast_display():
    fields = list(_fixed_fields())
    assert len(fields) > 30  # the product's status, kind and stage fields
    for model, field in fields:
        method = model.__dict__.get(f"get_{field.name}_display")
        assert method is not None and method.func is choices._display, f"{model.__name__}.{field.name}"


def test_labels_are_djangos_in_each_language_and_unknown_values_pass_through():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for model, field in _fixed_fields():
                obj = model()
                for value, _label in [*field.flatchoices, ("没有这个值", None)]:
                    setattr(obj, field.attname, value)
                    fast = getattr(obj, f"get_{field.name}_display")()
                    assert fast == Model._get_FIELD_display(obj, field), (model.__name__, field.name, value)


def test_the_language_switch_is_not_cached_across():
    from apps.organisations.models import Organisation

    org = Organisation(kind=Organisation._meta.get_field("kind").flatchoices[0][0])
    with translation.override("zh-hans"):
        chinese = org.get_kind_display()
    with translation.override("en"):
        english = org.get_kind_display()
    assert chinese != english and english.isascii() and not chinese.isascii()

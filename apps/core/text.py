"""Text normalisation shared by matching and duplicate checks."""

import unicodedata


def normalise_name(name: str) -> str:
    """NFKC folds full-width letters, digits and brackets to half-width; spaces carry no meaning in
    a Chinese company name. '新凯精测（重庆） 智造' and '新凯精测(重庆)智造' compare equal."""
    text = unicodedata.normalize("NFKC", name or "")
    return "".join(text.split())


def zh(value) -> str:
    """A translatable label (a TextChoices label, a gettext_lazy string) in Chinese, whatever language the
    current request chose. For text that is stored or sent — service messages, notifications, robot
    messages, audit notes — which must not turn English because an English reader triggered them."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return str(value)

"""Text normalisation shared by matching and duplicate checks."""

import unicodedata


def normalise_name(name: str) -> str:
    """NFKC folds full-width letters, digits and brackets to half-width; spaces carry no meaning in
    a Chinese company name. '新凯精测（重庆） 智造' and '新凯精测(重庆)智造' compare equal."""
    text = unicodedata.normalize("NFKC", name or "")
    return "".join(text.split())

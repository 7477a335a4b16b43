"""Make a web process ready before its first request.

The name tables (pypinyin's dictionary, OpenCC, the region lists) load on first use: a quarter of a
million Python objects. Loaded lazily, the first search pays for them; loaded and then left to the
garbage collector, every full collection walks them all (about 50 ms, the slowest requests of the
search benchmark). So the WSGI entry point loads them once and moves everything alive at that point
to the collector's permanent generation (gc.freeze), as the Python documentation recommends for
servers.

gunicorn loads the entry point in its master and forks the workers from it (deploy/gunicorn.conf.py), so
whatever is ready here is ready in every worker, including one that replaces a recycled worker in the middle
of a busy hour. Besides the name tables that is:
- every template of the product, compiled (the cached loader keeps them; compiling a page's templates is
  tens of milliseconds, which a fresh worker's first requests paid, the slowest of a load test);
- the URL patterns and both languages' translation catalogues."""

import gc
from pathlib import Path


def _template_names(backend) -> list[str]:
    names = []
    for directory in backend.template_dirs:
        root = Path(directory)
        if root.is_dir() and "site-packages" not in root.parts:
            names += [str(path.relative_to(root)) for path in sorted(root.rglob("*.html"))]
    return names


def warm_up() -> None:
    from django.conf import settings
    from django.template import engines
    from django.urls import get_resolver
    from django.utils import translation

    from apps.organisations import names

    names.initials("重庆长安")
    names.compare("北京信技源信息服务有限公司", "信技源")
    backend = engines["django"]
    for name in _template_names(backend):
        backend.engine.get_template(name)
    get_resolver().url_patterns  # noqa: B018 - imports every urls module
    get_resolver().reverse_dict  # noqa: B018 - builds the reverse lookup once
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("通知")
    gc.collect()
    gc.freeze()

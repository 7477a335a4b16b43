"""The WSGI entry point loads the name tables before the first request and freezes them out of the
garbage collector's way."""

import gc

from apps.core.warmup import warm_up


def test_warm_up_leaves_the_loaded_tables_out_of_garbage_collection():
    gc.unfreeze()
    try:
        warm_up()
        assert gc.get_freeze_count() > 50_000  # the pinyin and region tables, among others
    finally:
        gc.unfreeze()


def test_warm_up_compiles_the_products_templates_before_the_first_request():
    from django.template import engines

    engine = engines["django"].engine
    cached = [loader for loader in engine.template_loaders if hasattr(loader, "get_template_cache")]
    gc.unfreeze()
    try:
        for loader in cached:
            loader.reset()
        warm_up()
    finally:
        gc.unfreeze()
    kept = {name for loader in cached for name in loader.get_template_cache}
    assert {"base.html", "projects/detail.html", "organisations/organisation_list.html"} <= kept
    assert len(kept) > 100

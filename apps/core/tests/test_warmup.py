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

"""Make a web process ready before its first request.

The name tables (pypinyin's dictionary, OpenCC, the region lists) load on first use: a quarter of a
million Python objects. Loaded lazily, the first search pays for them; loaded and then left to the
garbage collector, every full collection walks them all (about 50 ms, the slowest requests of the
search benchmark). So the WSGI entry point loads them once and moves everything alive at that point
to the collector's permanent generation (gc.freeze), as the Python documentation recommends for
servers."""

import gc


def warm_up() -> None:
    from apps.organisations import names

    names.initials("重庆长安")
    names.compare("北京信技源信息服务有限公司", "信技源")
    gc.collect()
    gc.freeze()

"""Time the share-poster renderer: each template × size rendered 20 times, p50/p95 in ms as a markdown
table. The first render of each combination (fonts loaded, masks built) is timed separately as "first".

    .venv/bin/python scripts/bench_posters.py [--runs 20] [--samples /tmp/posters]

With --samples, also writes the demo posters there as <template>-<size>.png to look at.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from apps.events.posters import SIZES, Figure, Line, PosterSpec, render  # noqa: E402

DEMO_LINES = (
    Line("新凯精测(重庆)智造科技有限公司", "江北区 · 100亿元"),
    Line("分布式温室气体利用项目", "长寿区 · 18亿元"),
    Line("骅远人工智能数据安全中心项目", "九龙坡区 · 5亿元"),
    Line("京渝新能源汽车零部件产业园项目", "两江新区 · 30亿元"),
    Line("高端医疗器械研发生产基地项目", "沙坪坝区 · 12亿元"),
    Line("智能网联汽车测试验证中心项目", "永川区 · 6.5亿元"),
    Line("生物医药CXO研发外包服务平台项目", "巴南区 · 3亿元"),
    Line("数字文旅创意产业园项目", "渝中区 · 2.8亿元"),
)


def demo_spec(template: str) -> PosterSpec:
    return PosterSpec(
        template=template,
        title="重庆市与京津冀地区产业对接活动",
        subtitle="2025年11月1日 · 北京",
        figures=(Figure("签约项目", "18个"), Figure("总投资额", "239.5亿元"), Figure("参会人数", "400余人")),
        lines_heading="签约项目（部分）",
        lines=DEMO_LINES,
        issuer="重庆市人民政府驻北京办事处",
        url="https://zsj.example.cn/p/Zx9kQ2mV7bT4nR8wL3pY6d/",
        kicker="喜报" if template == "xibao" else "集中签约",
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--samples", type=Path, help="write the demo posters into this directory")
    parser.add_argument("--out", type=Path, help="also write the results as a markdown page (docs/benchmarks-posters.md)")
    args = parser.parse_args()

    rows = []
    for template in ("event", "xibao"):
        spec = demo_spec(template)
        for size in SIZES:
            start = time.perf_counter()
            png = render(spec, size)
            first = (time.perf_counter() - start) * 1000
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                render(spec, size)
                times.append((time.perf_counter() - start) * 1000)
            rows.append((template, size, first, statistics.median(times), percentile(times, 0.95), len(png)))
            if args.samples:
                args.samples.mkdir(parents=True, exist_ok=True)
                (args.samples / f"{template}-{size}.png").write_bytes(png)

    table = ["| template | size | first ms | p50 ms | p95 ms | PNG KB | target ≤ 300 ms |",
             "| --- | --- | ---: | ---: | ---: | ---: | --- |"]
    for template, size, first, p50, p95, nbytes in rows:
        verdict = "✅" if max(first, p95) <= 300 else "❌"
        table.append(f"| {template} | {size} | {first:.0f} | {p50:.0f} | {p95:.0f} | {nbytes // 1024} | {verdict} |")
    print("\n".join(table))
    if args.out:
        args.out.write_text(_page(args, table), encoding="utf-8")


def _page(args, table: list[str]) -> str:
    import datetime
    import platform

    from apps.events.posters import find_cjk_font

    return "\n".join([
        "# Benchmarks: share posters (分享图/喜报)", "",
        f"Produced by `make bench-posters` (`python scripts/bench_posters.py --runs {args.runs} --out "
        f"docs/benchmarks-posters.md`) on {datetime.date.today().isoformat()}.", "",
        f"Machine: {os.cpu_count()} CPU, Linux {platform.release()}, Python {platform.python_version()}; "
        f"font {find_cjk_font()}.", "",
        "Data: the demo event's poster (title, date and place, three figures, eight signing lines, issuer, QR "
        "code) for each template (event, 喜报) and size (portrait 750×1334, square 1080×1080). \"first\" is "
        "the first render in a fresh process (fonts loaded, masks built); p50/p95 over the runs after it. "
        "A rendered poster is cached as a file named by its content digest (apps/events/posters.cached_png), "
        "so these times are paid once per change of the event.", "",
        *table, "",
    ])


if __name__ == "__main__":
    main()

"""Loads the 33618 clusters from data/clusters-33618.json (used by a data migration)."""

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "clusters-33618.json"


def load_clusters(Cluster) -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    order = 0
    for key, tier in [
        ("trillion_level_leading_clusters", "trillion"),
        ("five_hundred_billion_level_pillar_clusters", "500b"),
        ("hundred_billion_level_featured_clusters", "100b"),
    ]:
        for name in data[key]["names"]:
            order += 10
            Cluster.objects.update_or_create(
                name=name, defaults={"tier": tier, "confirmed": True, "sort_order": order,
                                     "source_note": data[key]["tier_zh"]},
            )
    for item in data["new_star_clusters"]["confirmed_individually"]:
        order += 10
        Cluster.objects.update_or_create(
            name=item["name"], defaults={"tier": "new_star", "confirmed": True, "sort_order": order,
                                         "source_note": item["evidence"]},
        )

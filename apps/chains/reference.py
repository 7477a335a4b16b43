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


CHAIN_MAPS = Path(__file__).resolve().parent / "data" / "chain-maps"


def load_chain_maps(Cluster, ChainLink, ChainMapVersion) -> None:
    """The starting maps of the three 万亿级 clusters, each recorded as version 1 of its map. Used by a
    data migration, so it takes the historical models and writes rows directly."""
    from apps.chains.maps import build_tree, flatten, parse_map

    for path in sorted(CHAIN_MAPS.glob("*.json")):
        data, errors = parse_map(json.loads(path.read_text(encoding="utf-8")))
        if errors:
            raise ValueError(f"{path.name}: {errors}")
        cluster = Cluster.objects.filter(name=data["cluster"]).first()
        if cluster is None or ChainLink.objects.filter(cluster=cluster).exists():
            continue
        cluster.map_sources = data["sources"]
        cluster.save(update_fields=["map_sources"])
        ids: dict[str, int] = {}
        rows = flatten(data["links"])
        for position, row in enumerate(rows):
            link = ChainLink.objects.create(
                cluster=cluster, parent_id=ids.get("/".join(row.path[:-1])), name=row.path[-1],
                position=position, keywords=row.keywords, description=row.description,
                source_note=row.source_note, foundation=row.foundation, extension=row.extension,
            )
            ids[row.path_text] = link.id
            row.id = link.id
        snapshot = {**data, "links": build_tree(rows)}
        ChainMapVersion.objects.create(cluster=cluster, number=1, snapshot=snapshot, note="初始链图（随系统发布）")

"""Loads Chongqing's county-level divisions (data/chongqing-divisions.json, GB/T 2260 codes), the
office and the functional zones that work as units. Used by a data migration, so it takes the
historical model as an argument and is idempotent (update_or_create on the code)."""

import datetime
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "chongqing-divisions.json"
CHANGE_DAY = datetime.date(2025, 11, 6)  # 江北区、渝北区撤销，设立两江新区（行政区）
KIND_BY_TYPE = {"区": "district", "县": "county", "自治县": "autonomous_county"}


def load_units(Unit) -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    order = 0

    def put(code, **fields):
        nonlocal order
        order += 10
        fields.setdefault("sort_order", order)
        obj, _ = Unit.objects.update_or_create(code=code, defaults=fields)
        return obj

    put(
        "BJ-OFFICE",
        name="驻京办",
        full_name="重庆市人民政府驻北京办事处",
        kind="office",
        note="重庆市人民政府驻北京办事处（含重庆市驻京津冀地区招商服务中心）。",
    )
    liangjiang = put(
        "500157",
        gb_code="500157",
        name="两江新区",
        full_name="重庆市两江新区",
        kind="district",
        note=(
            "国家级新区；2025年11月6日起同时为行政区（撤销江北区、渝北区设立）。"
            "代码500157来自维基数据（python-stdnum loc.dat），尚未与民政部公布核对。"
        ),
    )
    for item in data["divisions_before_2025_11_adjustment"]:
        if item["code"] == "500157":
            continue
        abolished = item["status"].startswith("abolished")
        put(
            item["code"],
            gb_code=item["code"],
            name=item["name"],
            full_name=item["full_name"],
            kind=KIND_BY_TYPE[item["type"]],
            ended_on=CHANGE_DAY if abolished else None,
            successor=liangjiang if abolished else None,
            note=(
                "2025年11月6日撤销，并入两江新区（原渝北区大湾、统景、大盛、兴隆、茨竹五镇划归北碚区）。"
                if abolished
                else ""
            ),
        )
    put("ZONE-GXQ", name="重庆高新区", full_name="西部科学城重庆高新区", kind="zone", note="功能区，非GB/T 2260行政区划。")
    put("ZONE-WSJK", name="万盛经开区", full_name="万盛经济技术开发区", kind="zone", note="功能区，非GB/T 2260行政区划。")

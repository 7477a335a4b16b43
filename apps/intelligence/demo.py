"""The demo's 招商情报: the 重庆日报 article of 2025-11-02 added by the office, with the organisations
the demo library already holds linked to it — what a clerk's first review looks like. The rest of
its candidates wait for a click."""

from pathlib import Path

from apps.intelligence.services import article_create, article_link_organisation
from apps.organisations.models import Organisation

ARTICLE = Path(__file__).resolve().parent / "data" / "demo" / "chongqing-daily-2025-11-02.txt"


def load(accounts) -> None:
    office = accounts["demo_office"]
    article, _ = article_create(actor=office, text=ARTICLE.read_text(encoding="utf-8"), source="重庆日报")
    for index, org in enumerate(article.extraction.get("org_details") or []):
        known = Organisation.objects.filter(name=org["name"], merged_into__isnull=True).first()
        if known is not None:
            article_link_organisation(actor=office, article=article, item_key=f"org:{index}", organisation=known)

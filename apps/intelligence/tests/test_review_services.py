"""招商情报 services: adding an article (pasted, .txt in UTF-8 and GBK, .html, .docx), the duplicate,
and the one click per candidate that creates or links a record — once."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.errors import ConflictError, DomainError
from apps.events.models import Event, Signing
from apps.intelligence import services
from apps.intelligence.models import Article, ArticleLink
from apps.organisations.models import Organisation
from apps.projects.models import Project

SEED = Path(__file__).parent / "fixtures" / "seed-article-2025-11-02-chongqing-daily.txt"
XINJIYUAN = "北京信技源信息服务有限公司"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def seed_text():
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seed_article(users, seed_text):
    article, created = services.article_create(actor=users["office"], text=seed_text, source="重庆日报")
    assert created
    return article


def _key(article, kind, name):
    data = article.extraction
    items = {"org": data["org_details"], "project": data["projects"], "event": data["events"]}[kind]
    return f"{kind}:{next(i for i, item in enumerate(items) if name in item['name'])}"


def _counts():
    return (Organisation.objects.count(), Project.objects.count(), Event.objects.count(), Signing.objects.count(),
            ArticleLink.objects.count())


# --- adding articles --------------------------------------------------------------------------


def test_pasted_article_is_stored_with_its_extraction(seed_article):
    data = seed_article.extraction
    assert seed_article.published == datetime.date(2025, 11, 2)
    assert XINJIYUAN in data["orgs"]
    assert [18, 23950000000] in data["pairs"]
    assert {"江北区", "九龙坡区", "长寿区", "大渡口区"} <= set(data["regions"])
    # Every stored span lies in the stored text and says what it marks.
    assert data["marks"]
    for mark in data["marks"]:
        assert 0 <= mark["start"] < mark["end"] <= len(seed_article.text)
    org_mark = next(m for m in data["marks"] if m["kind"] == "org"
                    and seed_article.text[m["start"]:m["end"]] == XINJIYUAN)
    assert org_mark["label"].startswith("org:")
    assert seed_article.unit.name == "驻京办"
    assert seed_article.content_hash == services.content_hash(seed_article.text)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "gbk"])
def test_txt_file_in_any_chinese_encoding(users, seed_text, encoding):
    seed_text = seed_text.replace("\xa0", " ")  # GBK has no no-break space
    upload = SimpleUploadedFile("news.txt", seed_text.encode(encoding), content_type="text/plain")
    article, created = services.article_create(actor=users["office"], file=upload)
    assert created
    assert XINJIYUAN in article.extraction["orgs"]
    assert article.original_file.name.startswith("articles/")
    assert article.original_file.read() == seed_text.encode(encoding)


def test_html_file(users, seed_text):
    body = "".join(f"<p>{line}</p>" for line in seed_text.splitlines() if line.strip())
    html = f"<!doctype html><html><head><title>x</title></head><body>{body}</body></html>"
    upload = SimpleUploadedFile("news.html", html.encode("utf-8"), content_type="text/html")
    article, _ = services.article_create(actor=users["office"], file=upload)
    assert "<p>" not in article.text
    assert XINJIYUAN in article.extraction["orgs"]
    assert [18, 23950000000] in article.extraction["pairs"]


def test_docx_file(users, seed_text):
    import docx

    document = docx.Document()
    for line in seed_text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    upload = SimpleUploadedFile("news.docx", buffer.getvalue())
    article, _ = services.article_create(actor=users["office"], file=upload)
    assert XINJIYUAN in article.extraction["orgs"]
    assert "新凯精测(重庆)智造科技有限公司" in article.extraction["orgs"]


def test_same_article_twice_opens_the_first(users, seed_text, seed_article):
    again, created = services.article_create(actor=users["office"], text=seed_text)
    assert not created and again.pk == seed_article.pk
    assert Article.objects.count() == 1
    # Another unit keeps its own copy (its own clicks, its own links).
    other, created = services.article_create(actor=users["district"], text=seed_text)
    assert created and other.pk != seed_article.pk


def test_refusals_in_chinese(users):
    with pytest.raises(DomainError, match="请粘贴文章正文"):
        services.article_create(actor=users["office"], text="   ")
    with pytest.raises(DomainError, match="只支持"):
        services.article_create(actor=users["office"], file=SimpleUploadedFile("news.pdf", b"%PDF-1.4"))
    big = SimpleUploadedFile("news.txt", b"a" * (services.ARTICLE_MAX_BYTES + 1))
    with pytest.raises(DomainError, match="超过5MB"):
        services.article_create(actor=users["office"], file=big)
    with pytest.raises(DomainError, match="无法读取"):
        services.article_create(actor=users["office"], file=SimpleUploadedFile("news.docx", b"PK\x03\x04broken"))
    assert Article.objects.count() == 0


def test_read_only_role_cannot_add_or_click(users, seed_text, seed_article):
    with pytest.raises(PermissionDenied):
        services.article_create(actor=users["leader"], text=seed_text + "另一篇")
    with pytest.raises(PermissionDenied):
        services.article_link_organisation(actor=users["leader"], article=seed_article,
                                           item_key=_key(seed_article, "org", XINJIYUAN))
    assert Article.objects.count() == 1 and ArticleLink.objects.count() == 0


# --- clicks -----------------------------------------------------------------------------------


def test_create_organisation_then_second_click_refused(users, seed_article):
    key = _key(seed_article, "org", XINJIYUAN)
    link = services.article_link_organisation(actor=users["office"], article=seed_article, item_key=key)
    assert link.action == "created" and link.organisation.name == XINJIYUAN
    assert link.organisation.source == "新闻线索"
    before = _counts()
    with pytest.raises(ConflictError, match="已处理"):
        services.article_link_organisation(actor=users["office"], article=seed_article, item_key=key)
    with pytest.raises(ConflictError):
        services.article_link_organisation(actor=users["office"], article=seed_article, item_key=key,
                                           organisation=link.organisation)
    assert _counts() == before


def test_link_organisation_to_library_record(users, seed_article):
    from apps.organisations.services import organisation_create

    existing = organisation_create(actor=users["office"], name=XINJIYUAN)
    link = services.article_link_organisation(actor=users["office"], article=seed_article,
                                              item_key=_key(seed_article, "org", XINJIYUAN), organisation=existing)
    assert link.action == "linked" and link.organisation == existing
    assert Organisation.objects.filter(name=XINJIYUAN).count() == 1


def test_unknown_item_refused(users, seed_article):
    with pytest.raises(DomainError, match="不在本文"):
        services.article_link_organisation(actor=users["office"], article=seed_article, item_key="org:99")
    assert ArticleLink.objects.count() == 0


def _org_for_project(users, article, project_name):
    """Link the organisation the project needs: create a library record and link the article's first org to it."""
    from apps.organisations.services import organisation_create

    org = organisation_create(actor=users["office"], name="北京骅远科技有限公司")
    services.article_link_organisation(actor=users["office"], article=article,
                                       item_key=_key(article, "org", XINJIYUAN), organisation=org)
    return org


def test_create_project_in_the_region_of_the_mention(users, seed_article, units):
    key = _key(seed_article, "project", "骅远人工智能数据安全中心")
    with pytest.raises(DomainError, match="请先在本页关联或新建"):
        services.article_link_project(actor=users["office"], article=seed_article, item_key=key)
    assert Project.objects.count() == 0
    org = _org_for_project(users, seed_article, "骅远")
    link = services.article_link_project(actor=users["office"], article=seed_article, item_key=key)
    project = link.project
    assert link.action == "created"
    assert project.name == "骅远人工智能数据安全中心项目"
    assert project.organisation == org
    assert project.unit == units["九龙坡区"]
    assert project.planned_investment == Decimal("500000000")
    assert project.chain_role == "consolidate"
    assert "重庆日报" in project.description
    with pytest.raises(ConflictError):
        services.article_link_project(actor=users["office"], article=seed_article, item_key=key)
    assert Project.objects.count() == 1


def test_district_cannot_create_a_project_for_another_district(users, seed_text, units):
    article, _ = services.article_create(actor=users["district"], text=seed_text)
    _org_for_project(users, article, "")
    key = _key(article, "project", "分布式温室气体利用")  # 长寿区
    before = _counts()
    with pytest.raises(DomainError, match="只能为本单位登记项目"):
        services.article_link_project(actor=users["district"], article=article, item_key=key)
    assert _counts() == before
    # The district may choose itself as the receiving unit.
    link = services.article_link_project(actor=users["district"], article=article, item_key=key,
                                         unit=units["九龙坡区"])
    assert link.project.unit == units["九龙坡区"]


def test_region_of_an_ended_unit_rolls_to_its_successor(units):
    assert services.region_unit("江北区") == units["两江新区"]
    assert services.region_unit("九龙坡区") == units["九龙坡区"]
    assert services.region_unit("海淀区") is None


def test_link_project_event_and_signing(users, seed_article, make_project):
    project_key = _key(seed_article, "project", "骅远人工智能数据安全中心")
    project = make_project(name="骅远人工智能数据安全中心项目")
    link = services.article_link_project(actor=users["office"], article=seed_article, item_key=project_key,
                                         project=project)
    assert link.action == "linked" and link.project == project

    event_key = "event:0"
    with pytest.raises(DomainError, match="请先在本页关联或新建本文报道的签约活动"):
        services.article_link_signing(actor=users["office"], article=seed_article,
                                      item_key=project_key.replace("project", "signing"))
    event_link = services.article_link_event(actor=users["office"], article=seed_article, item_key=event_key)
    event = event_link.event
    assert event_link.action == "created"
    assert event.title == "重庆市与京津冀地区产业对接活动"
    assert event.date == datetime.date(2025, 11, 1)
    assert event.kind == "signing" and event.city == "北京"

    signing_link = services.article_link_signing(actor=users["office"], article=seed_article,
                                                 item_key=project_key.replace("project", "signing"))
    signing = signing_link.signing
    assert signing.project == project and signing.event == event
    assert signing.amount == Decimal("500000000") and signing.currency == "CNY"
    assert signing.date == event.date
    before = _counts()
    with pytest.raises(ConflictError):
        services.article_link_signing(actor=users["office"], article=seed_article,
                                      item_key=project_key.replace("project", "signing"))
    assert _counts() == before


def test_link_existing_event(users, seed_article):
    from apps.events.services import event_create

    event = event_create(actor=users["office"], values={"title": "重庆市与京津冀地区产业对接活动",
                                                        "date": datetime.date(2025, 11, 1), "kind": "signing"})
    link = services.article_link_event(actor=users["office"], article=seed_article, item_key="event:0", event=event)
    assert link.action == "linked" and Event.objects.count() == 1


USD_ARTICLE = """美企重庆签约
2025年11月3日 来源：重庆日报
11月2日，重庆市在北京举行外资项目集中签约仪式，签约项目2个，投资总额5亿美元。
其中，美国恒远科技有限公司投资3亿美元的智能传感器研发基地项目落户九龙坡区，属强链项目。
"""


def test_signing_in_dollars_needs_a_rate(users, make_project):
    article, _ = services.article_create(actor=users["office"], text=USD_ARTICLE)
    projects = article.extraction["projects"]
    index = next((i for i, p in enumerate(projects) if p["currency"] == "USD" and p["value"]), None)
    # The engine must find the dollar project and the ceremony in this text; if it stops doing so, that is
    # a regression to see here, not a reason to pass quietly.
    assert index is not None, projects
    assert article.extraction["events"], article.extraction["events"]
    project = make_project(name=projects[index]["name"])
    services.article_link_project(actor=users["office"], article=article, item_key=f"project:{index}",
                                  project=project)
    services.article_link_event(actor=users["office"], article=article, item_key="event:0")
    before = _counts()
    with pytest.raises(DomainError, match="汇率"):
        services.article_link_signing(actor=users["office"], article=article, item_key=f"signing:{index}")
    assert _counts() == before
    link = services.article_link_signing(actor=users["office"], article=article, item_key=f"signing:{index}",
                                         exchange_rate="7.1")
    signing = link.signing
    assert signing.currency == "USD"
    assert signing.original_amount == Decimal(projects[index]["value"])
    assert signing.amount == Decimal(projects[index]["value"]) * Decimal("7.1")

"""招商情报 pages: the list, the form, the review page (highlights, candidates, nothing written on
reading) and the one-click POSTs with and without htmx."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from apps.audit.models import AuditLog
from apps.events.models import Event, Signing
from apps.intelligence import services
from apps.intelligence.models import Article, ArticleLink
from apps.organisations.models import Organisation
from apps.projects.models import Project

SEED = Path(__file__).parent / "fixtures" / "seed-article-2025-11-02-chongqing-daily.txt"
XINJIYUAN = "北京信技源信息服务有限公司"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded originals go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def seed_article(users):
    article, _ = services.article_create(actor=users["office"], text=SEED.read_text(encoding="utf-8"),
                                         source="重庆日报")
    return article


def _written():
    return (Organisation.objects.count(), Project.objects.count(), Event.objects.count(), Signing.objects.count(),
            ArticleLink.objects.count(), Article.objects.count(), AuditLog.objects.count())


def _org_key(article, name=XINJIYUAN):
    return f"org:{article.extraction['orgs'].index(name)}"


class _MarkCollector(HTMLParser):
    """The text inside each data-mark (a split mark contributes all its pieces), and whether tags nest."""

    def __init__(self):
        super().__init__()
        self.stack, self.pieces, self.balanced = [], {}, True

    def handle_starttag(self, tag, attrs):
        if tag == "mark":
            self.stack.append(dict(attrs).get("data-mark"))

    def handle_endtag(self, tag):
        if tag == "mark":
            if not self.stack:
                self.balanced = False
            else:
                self.stack.pop()

    def handle_data(self, data):
        for mark in self.stack:
            if mark is not None:
                self.pieces[mark] = self.pieces.get(mark, "") + data


def _article_text_html(content: str) -> str:
    match = re.search(r'<div class="card-body article-text" id="article-text">(.*?)</div>', content, re.S)
    assert match, "the article text block is on the page"
    return match.group(1)


# --- access -----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, seed_article):
    for url in [reverse("intelligence:list"), reverse("intelligence:create"),
                reverse("intelligence:detail", args=[seed_article.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    before = _written()
    response = client.post(reverse("intelligence:act", args=[seed_article.pk, _org_key(seed_article)]),
                           {"choice": "create"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert _written() == before


def test_read_only_role_reads_but_cannot_add_or_click(client, users, seed_article):
    client.force_login(users["leader"])
    page = client.get(reverse("intelligence:detail", args=[seed_article.pk]))
    assert page.status_code == 200
    assert "您的角色为只读" in page.content.decode()
    assert 'name="choice"' not in page.content.decode()
    before = _written()
    response = client.post(reverse("intelligence:create"), {"text": "另一篇文章。"})
    assert response.status_code == 403  # refused like every other write of a read-only role, and saying why
    assert "您的角色为只读，不能添加情报文章" in response.content.decode()
    assert _written() == before
    response = client.post(reverse("intelligence:act", args=[seed_article.pk, _org_key(seed_article)]),
                           {"choice": "create"})
    assert response.status_code == 403
    assert _written() == before


# --- list and form ----------------------------------------------------------------------------


def test_paste_an_article_and_paste_it_again(client, users):
    client.force_login(users["office"])
    text = SEED.read_text(encoding="utf-8")
    response = client.post(reverse("intelligence:create"), {"text": text, "source": "重庆日报"})
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("intelligence:detail", args=[article.pk])
    response = client.post(reverse("intelligence:create"), {"text": text}, follow=True)
    assert Article.objects.count() == 1
    assert "本单位已添加过这篇文章" in response.content.decode()
    empty = client.post(reverse("intelligence:create"), {"text": ""})
    assert empty.status_code == 200 and "请粘贴文章正文" in empty.content.decode()


def test_upload_a_gbk_file_through_the_form(client, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["district"])
    data = SEED.read_text(encoding="utf-8").replace("\xa0", " ").encode("gbk")
    response = client.post(reverse("intelligence:create"),
                           {"file": SimpleUploadedFile("重庆日报.txt", data, content_type="text/plain")})
    assert response.status_code == 302
    assert XINJIYUAN in Article.objects.get().extraction["orgs"]


def test_list_shows_counts_in_bounded_queries(client, users, django_assert_max_num_queries):
    client.force_login(users["office"])
    text = SEED.read_text(encoding="utf-8")
    for n in range(12):
        article, _ = services.article_create(actor=users["office"], text=f"{text}\n第{n}版")
    services.article_link_organisation(actor=users["office"], article=article, item_key=_org_key(article))
    client.get(reverse("intelligence:list"))  # warm the session and the actor's scope
    with django_assert_max_num_queries(8):
        response = client.get(reverse("intelligence:list"))
    content = response.content.decode()
    assert content.count(reverse("intelligence:detail", args=[article.pk])) == 1
    assert "共 12 篇文章" in content
    row = re.search(rf'{reverse("intelligence:detail", args=[article.pk])}.*?</tr>', content, re.S).group(0)
    cells = re.findall(r'<td class="text-end">(\d+)</td>', row)
    assert cells == [str(article.candidate_count), "1"]


# --- the review page --------------------------------------------------------------------------


def test_review_page_highlights_every_span_and_writes_nothing(client, users, seed_article):
    client.force_login(users["office"])
    client.get(reverse("intelligence:list"))
    before = _written()
    response = client.get(reverse("intelligence:detail", args=[seed_article.pk]))
    assert response.status_code == 200
    assert _written() == before
    html = _article_text_html(response.content.decode())
    collector = _MarkCollector()
    collector.feed(html)
    assert collector.balanced and not collector.stack
    marks = seed_article.extraction["marks"]
    for i, mark in enumerate(marks):
        assert collector.pieces.get(str(i)) == seed_article.text[mark["start"]:mark["end"]], mark
    assert f'data-item="{_org_key(seed_article)}"' in html
    # The side panel: the candidate and its buttons.
    content = response.content.decode()
    assert f'id="item-{_org_key(seed_article).replace(":", "-")}"' in content
    assert "新建" in content
    assert "18个项目" in content and "239.5亿元" in content


def test_text_is_escaped_and_overlapping_spans_nest(client, users):
    client.force_login(users["office"])
    text = "<script>alert(1)</script>重庆市九龙坡区与北京信技源信息服务有限公司签约，投资5亿元。"
    article, _ = services.article_create(actor=users["office"], text=text)
    # Add crossing spans of our own to prove the page nests them whatever the engine returns.
    marks = list(article.extraction["marks"])
    at = article.text.index("九龙坡区")
    marks += [{"start": at - 2, "end": at + 6, "kind": "amount", "label": "x"},
              {"start": at + 3, "end": at + 12, "kind": "region", "label": "y"}]
    article.extraction = {**article.extraction, "marks": marks}
    article.save(update_fields=["extraction"])
    html = _article_text_html(client.get(reverse("intelligence:detail", args=[article.pk])).content.decode())
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    collector = _MarkCollector()
    collector.feed(html)
    assert collector.balanced and not collector.stack
    for i, mark in enumerate(marks):
        assert collector.pieces.get(str(i)) == article.text[mark["start"]:mark["end"]]


def test_strong_library_match_offers_link_first(client, users, seed_article):
    from apps.organisations.services import organisation_create

    org = organisation_create(actor=users["office"], name=XINJIYUAN)
    client.force_login(users["office"])
    content = client.get(reverse("intelligence:detail", args=[seed_article.pk])).content.decode()
    card = re.search(rf'<div class="card mb-2 candidate candidate-org" id="item-{_org_key(seed_article).replace(":", "-")}".*?</form>',
                     content, re.S).group(0)
    assert f"关联到 {XINJIYUAN}" in card
    assert re.search(r'value="link" class="btn btn-sm btn-primary"', card)
    assert f'name="target" value="{org.pk}"' in card


# --- clicks -----------------------------------------------------------------------------------


def test_click_without_js_creates_and_redirects(client, users, seed_article):
    client.force_login(users["office"])
    key = _org_key(seed_article)
    url = reverse("intelligence:act", args=[seed_article.pk, key])
    response = client.post(url, {"choice": "create"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("intelligence:detail", args=[seed_article.pk]))
    link = ArticleLink.objects.get()
    assert link.item_key == key and link.organisation.name == XINJIYUAN
    page = client.get(reverse("intelligence:detail", args=[seed_article.pk])).content.decode()
    assert reverse("organisations:detail", args=[link.organisation_id]) in page
    before = _written()
    again = client.post(url, {"choice": "create"}, follow=True)
    assert "已处理" in again.content.decode()
    assert _written() == before


def test_click_with_htmx_swaps_the_card(client, users, seed_article):
    client.force_login(users["office"])
    key = _org_key(seed_article)
    url = reverse("intelligence:act", args=[seed_article.pk, key])
    response = client.post(url, {"choice": "create"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Trigger"] == "article-linked"
    content = response.content.decode()
    assert f'id="item-{key.replace(":", "-")}"' in content and "已新建" in content
    before = _written()
    again = client.post(url, {"choice": "create"}, headers={"HX-Request": "true"})
    assert again.status_code == 200 and "已处理" in again.content.decode()
    assert "HX-Trigger" not in again
    assert _written() == before
    panel = client.get(reverse("intelligence:panel", args=[seed_article.pk]))
    assert XINJIYUAN in panel.content.decode()


def test_district_cannot_create_another_districts_project_through_the_page(client, users, seed_text_article_for):
    article, key = seed_text_article_for(users["district"], "分布式温室气体利用")
    client.force_login(users["district"])
    before = _written()
    response = client.post(reverse("intelligence:act", args=[article.pk, key]), {"choice": "create"},
                           headers={"HX-Request": "true"})
    assert "只能为本单位登记项目" in response.content.decode()
    assert _written() == before


@pytest.fixture
def seed_text_article_for(users):
    def make(actor, project_name):
        from apps.organisations.services import organisation_create

        article, _ = services.article_create(actor=actor, text=SEED.read_text(encoding="utf-8"))
        org = organisation_create(actor=users["office"], name="北京嘉岳科技有限公司")
        services.article_link_organisation(actor=actor, article=article, item_key=_org_key(article),
                                           organisation=org)
        index = next(i for i, p in enumerate(article.extraction["projects"]) if project_name in p["name"])
        return article, f"project:{index}"

    return make


def test_link_to_someone_elses_invisible_project_is_404(client, users, seed_article, make_project):
    hidden = make_project(unit_name="长寿区")
    client.force_login(users["district"])  # 九龙坡区 does not see 长寿区's project
    before = _written()
    response = client.post(reverse("intelligence:act", args=[seed_article.pk, "project:0"]),
                           {"choice": "link", "target": hidden.pk})
    assert response.status_code == 404
    assert _written() == before


def test_a_relation_the_article_states_is_recorded_between_two_linked_organisations(client, users, seed_article):
    from apps.relations.models import Relation

    office = users["office"]
    a = services.article_link_organisation(actor=office, article=seed_article, item_key="org:0").organisation
    b = services.article_link_organisation(actor=office, article=seed_article, item_key="org:1").organisation
    client.force_login(office)
    page = client.get(reverse("intelligence:detail", args=[seed_article.pk])).content.decode()
    assert 'id="article-relation-form"' in page
    url = reverse("intelligence:relation", args=[seed_article.pk])
    response = client.post(url, {"organisation": a.pk, "related": b.pk, "kind": "supplier",
                                 "evidence": "文中原句"}, follow=True)
    assert f"已登记：{b.name}是{a.name}的供应商。" in response.content.decode()
    relation = Relation.objects.get()
    assert (relation.article_id, relation.source, relation.evidence) == (seed_article.pk, "news", "文中原句")
    # The same fact again adds nothing; an organisation not linked on the article is refused.
    again = client.post(url, {"organisation": a.pk, "related": b.pk, "kind": "supplier"}, follow=True)
    assert "目标库已有此关系" in again.content.decode() and Relation.objects.count() == 1
    outsider = Organisation.objects.create(name="文外企业有限公司")
    refused = client.post(url, {"organisation": a.pk, "related": outsider.pk, "kind": "partner"}, follow=True)
    assert "请在本文已关联的企业中选择两家" in refused.content.decode() and Relation.objects.count() == 1
    page = client.get(reverse("intelligence:detail", args=[seed_article.pk])).content.decode()
    assert f"{b.name}</a>是<a" in page

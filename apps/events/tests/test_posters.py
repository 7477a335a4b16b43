"""Share posters: a PNG of the right size whose QR code opens the public page, with every character of
long names and big amounts on it (shrunk or wrapped, never cut), Chinese line breaking that keeps
numbers with their units, a clear message when the machine has no Chinese font, and a file cache."""

import dataclasses
import io
import subprocess

import pytest
import zxingcpp
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from apps.events import posters
from apps.events.posters import (
    _DATE_PART,
    SIZES,
    Figure,
    Line,
    PosterFontMissing,
    PosterSpec,
    _penalties,
    cached_png,
    find_cjk_font,
    layout,
    render,
    spec_digest,
    wrap,
)

TEMPLATES = ("event", "xibao")
LONG_URL = "http://127.0.0.1:8000/p/Zx9" + "kQ2mV7bT4nR8wL3pY6dHs" + "/"  # a 24-character token

DEMO = PosterSpec(
    template="event",
    title="重庆市与京津冀地区产业对接活动",
    subtitle="2025年11月1日 · 北京",
    figures=(Figure("签约项目", "18个"), Figure("总投资额", "239.5亿元"), Figure("参会人数", "400余人")),
    lines_heading="签约项目（部分）",
    lines=(
        Line("新凯精测(重庆)智造科技有限公司", "江北区 · 100亿元"),
        Line("分布式温室气体利用项目", "长寿区 · 18亿元"),
        Line("骅远人工智能数据安全中心项目", "九龙坡区 · 5亿元"),
        Line("京渝新能源汽车零部件产业园项目", "两江新区 · 30亿元"),
        Line("高端医疗器械研发生产基地项目", "沙坪坝区 · 12亿元"),
        Line("智能网联汽车测试验证中心项目", "永川区 · 6.5亿元"),
        Line("生物医药CXO研发外包服务平台项目", "巴南区 · 3亿元"),
        Line("数字文旅创意产业园项目", "渝中区 · 2.8亿元"),
    ),
    issuer="重庆市人民政府驻北京办事处",
    url="https://zsj.example.cn/p/Zx9kQ2mV7bT4nR8wL3pY6d/",
    kicker="集中签约",
)

LONG_TITLE = ("重庆市与京津冀地区产业对接活动暨重庆市驻京津冀地区招商服务中心授牌仪式"
              "及2025年重点产业链招商推介会（第二场）签约仪式")
HUGE = PosterSpec(
    template="event",
    title=LONG_TITLE,
    subtitle="2025年11月1日 · 北京市朝阳区国家会议中心第三会议室",
    figures=(Figure("签约项目", "18个"), Figure("总投资额", "1234567.89亿元"),
             Figure("到位资金", "12345678.9万元"), Figure("参会人数", "400余人")),
    lines_heading="签约项目（部分）",
    lines=tuple(Line("新凯精测(重庆)智造科技有限公司高端精密测量仪器及智能制造装备研发生产基地项目"
                     if i % 2 else f"分布式温室气体利用项目{i}期", "九龙坡区 · 12345678.9万元") for i in range(8)),
    issuer="重庆市人民政府驻北京办事处（重庆市驻京津冀地区招商服务中心）",
    url=LONG_URL,
    kicker="集中签约",
)


def _image(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return image


def _content(placed):
    return [p for p in placed if p.kind in ("text", "qr")]


def _joined(placed, role, group=None):
    return "".join(p.text for p in placed if p.role == role and (group is None or p.group == group))


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.fixture
def font_lookup():
    """The font lookup is cached per setting; tests that fake fontconfig start and end with it empty."""
    posters._locate_font.cache_clear()
    yield
    posters._locate_font.cache_clear()


@pytest.fixture
def file_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path


# ------------------------------------------------------------------------------------------ the PNG

@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize(("size", "expected"), [("portrait", (750, 1334)), ("square", (1080, 1080))])
def test_each_size_is_a_png_of_exactly_its_size(template, size, expected):
    image = _image(render(dataclasses.replace(DEMO, template=template), size))
    assert image.size == expected == SIZES[size]
    assert image.mode == "RGB"
    # Little to show (the content is lowered into the space) and nothing at all but a title.
    few = dataclasses.replace(DEMO, template=template, figures=DEMO.figures[:1], lines=DEMO.lines[:1])
    assert _image(render(few, size)).size == expected
    bare = PosterSpec(template=template, title="喜报", subtitle="", figures=(), lines_heading="", lines=(),
                      issuer="", url=DEMO.url)
    assert _image(render(bare, size)).size == expected


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("url", [DEMO.url, LONG_URL, "https://x.cn/p/a/"])
def test_the_qr_code_opens_exactly_the_public_page(template, size, url):
    spec = dataclasses.replace(DEMO, template=template, url=url)
    found = zxingcpp.read_barcodes(_image(render(spec, size)))
    assert [r.text for r in found] == [url]
    code = found[0]
    assert code.format == zxingcpp.BarcodeFormat.QRCode  # not a Micro QR, which WeChat does not read
    assert code.ec_level in ("M", "Q", "H")
    # Big enough to scan off another phone's screen (the symbol itself, quiet zone not counted).
    assert code.position.top_right.x - code.position.top_left.x >= {"portrait": 180, "square": 220}[size]


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("size", SIZES)
def test_render_paints_every_text_run_of_the_layout(template, size):
    spec = dataclasses.replace(DEMO, template=template)
    image = _image(render(spec, size)).convert("L")
    for p in layout(spec, size):
        if p.kind == "text":
            low, high = image.crop(p.box).getextrema()
            assert high - low > 60, f"nothing legible drawn for {p.role} {p.text!r}"


# -------------------------------------------------------------------------------------- the layout

@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("size", SIZES)
def test_long_names_and_eight_digit_amounts_are_shown_whole_inside_the_canvas(template, size):
    spec = dataclasses.replace(HUGE, template=template)
    placed = layout(spec, size)
    content = _content(placed)
    assert len(LONG_TITLE) >= 60
    # Nothing cut, nothing ellipsised.
    assert _joined(placed, "title") == spec.title
    assert _joined(placed, "subtitle") == spec.subtitle
    assert _joined(placed, "kicker") == spec.kicker
    assert _joined(placed, "issuer") == spec.issuer
    assert _joined(placed, "qr_caption") == spec.qr_caption
    for i, figure in enumerate(spec.figures):
        value = "".join(p.text for p in placed if p.group == i and p.role in ("figure_value", "figure_unit"))
        assert value == figure.value
        assert _joined(placed, "figure_label", i) == figure.label
    shown = sorted({p.group for p in placed if p.role == "line_title"})
    assert shown == list(range(len(shown)))  # the first ones, in order
    for i in shown:
        assert _joined(placed, "line_title", i) == spec.lines[i].title
        assert _joined(placed, "line_detail", i) == spec.lines[i].detail
    assert _joined(placed, "more") == f"等{len(spec.lines) - len(shown)}{'个项目' if template == 'event' else '项'}"
    assert not any("…" in p.text for p in content)

    width, height = SIZES[size]
    margin = 24
    for p in content:
        x0, y0, x1, y1 = p.box
        assert margin <= x0 < x1 <= width - margin and margin <= y0 < y1 <= height - margin, (p.role, p.text, p.box)
    for a, b in ((a, b) for i, a in enumerate(content) for b in content[i + 1:]):
        assert not _overlap(a.box, b.box), (a.role, a.text, a.box, b.role, b.text, b.box)


@pytest.mark.parametrize("size", SIZES)
def test_the_title_shrinks_to_three_lines_then_takes_more_lines_at_its_minimum(size):
    m = posters._METRICS[size]

    def title_runs(title):
        return [p for p in layout(dataclasses.replace(DEMO, title=title), size) if p.role == "title"]

    short = title_runs("产业对接活动")
    assert len(short) == 1 and short[0].size == m.title_max
    # Too long for three lines at the largest size, short enough for three at a smaller one.
    medium = title_runs(LONG_TITLE[:36] if size == "portrait" else LONG_TITLE[:52])
    assert len(medium) == 3 and m.title_min <= medium[0].size < m.title_max
    long = title_runs(LONG_TITLE + "暨京津冀重点项目集中签约")
    assert len(long) > 3 and long[0].size == m.title_min
    # A balanced title: no last line much shorter than the others.
    widths = [p.box[2] - p.box[0] for p in long]
    assert min(widths) > max(widths) / 2


def test_the_list_shows_what_fits_and_counts_the_rest():
    placed = layout(DEMO, "portrait")
    shown = {p.group for p in placed if p.role == "line_title"}
    assert 2 <= len(shown) < len(DEMO.lines)
    assert _joined(placed, "more") == f"等{len(DEMO.lines) - len(shown)}个项目"
    two = layout(dataclasses.replace(DEMO, lines=DEMO.lines[:2]), "portrait")
    assert {p.group for p in two if p.role == "line_title"} == {0, 1}
    assert not [p for p in two if p.role == "more"]


def test_four_figures_on_a_portrait_poster_make_a_two_by_two_grid():
    placed = layout(HUGE, "portrait")
    tops = sorted({p.box[1] for p in placed if p.role == "figure_label"})
    assert len(tops) == 2
    one_row = layout(HUGE, "square")
    assert len({p.box[1] for p in one_row if p.role == "figure_label"}) == 1


_any_text = st.text(st.sampled_from("重庆市京津冀产业对接签约项目中心（）《》，、 ·0123456789.亿元个AI"), max_size=70)


@hypothesis_settings(max_examples=30, deadline=None)
@given(template=st.sampled_from(TEMPLATES), size=st.sampled_from(list(SIZES)), title=_any_text,
       subtitle=_any_text, kicker=st.text(st.sampled_from("集中签约喜报"), max_size=6), issuer=_any_text,
       figures=st.lists(st.builds(Figure, _any_text.map(lambda t: t[:8]), _any_text.map(lambda t: t[:14] or "0")),
                        max_size=4),
       lines=st.lists(st.builds(Line, _any_text, _any_text.map(lambda t: t[:30])), max_size=8))
def test_any_spec_is_laid_out_whole_without_overlaps(template, size, title, subtitle, kicker, issuer, figures,
                                                     lines):
    spec = PosterSpec(template=template, title=title, subtitle=subtitle, figures=tuple(figures),
                      lines_heading="签约项目", lines=tuple(lines), issuer=issuer, url=LONG_URL, kicker=kicker)
    placed = layout(spec, size)
    assert _joined(placed, "title") == title and _joined(placed, "issuer") == issuer
    content = _content(placed)
    width, height = SIZES[size]
    for p in content:
        assert 0 <= p.box[0] <= p.box[2] <= width and 0 <= p.box[1] < p.box[3] <= height, (p.role, p.box)
    for a, b in ((a, b) for i, a in enumerate(content) for b in content[i + 1:]):
        assert not _overlap(a.box, b.box), (a.role, a.text, b.role, b.text)


def test_an_unknown_template_or_size_is_refused():
    with pytest.raises(ValueError, match="template"):
        render(dataclasses.replace(DEMO, template="party"))
    with pytest.raises(ValueError, match="size"):
        render(DEMO, "landscape")


# ------------------------------------------------------------------------------------ line breaking

CLOSING = "，。、；：！？）》」』”"
OPENING = "（《「『“"


@pytest.fixture(scope="module")
def font():
    return posters._Fonts(posters._font_face())(28)


def test_wrap_never_separates_a_number_from_its_unit(font):
    text = "本次活动共签约18个项目，总投资239.5亿元，到位资金12345678.9万元，参会嘉宾400余人，于2025年11月1日在北京举行。"
    kept = ["18个", "239.5亿元", "12345678.9万元", "400余人", "2025年", "11月", "1日"]
    widest = max(font.getlength(k + "，") for k in kept)
    widths = range(int(widest) + 1, int(font.getlength(text)) + 40, 9)
    for width in widths:
        lines = wrap(text, font, width)
        assert "".join(lines) == text
        for line in lines:
            assert font.getlength(line) <= width
        for a, b in zip(lines, lines[1:], strict=False):
            assert b[0] not in CLOSING, (width, lines)
            assert a[-1] not in OPENING, (width, lines)
        for token in kept:
            assert any(token in line for line in lines), (width, token, lines)
        # It still breaks between CJK characters: every line but the last is full but for the next
        # token, or (ending at a comma) at least two-thirds full.
        for line in lines[:-1]:
            assert font.getlength(line) > min(width * 2 / 3, width - widest - 28), (width, lines)


def test_wrap_keeps_a_whole_date_together_when_it_fits(font):
    text = "签约仪式于2025年11月1日举行"
    for width in range(int(font.getlength("签约仪式于2025年11月1日")) - 10, int(font.getlength(text)), 4):
        lines = wrap(text, font, width)
        assert any("2025年11月1日" in line for line in lines), (width, lines)


def test_wrap_keeps_brackets_and_quotes_with_their_words(font):
    text = "新凯精测(重庆)智造科技有限公司签署《战略合作协议》，共建“双招双引”平台。"
    for width in range(int(font.getlength("新凯精测(")) + 1, int(font.getlength(text)) + 1, 7):
        lines = wrap(text, font, width)
        assert "".join(lines) == text
        assert all(line[0] not in CLOSING + ")" for line in lines[1:]), (width, lines)
        assert all(line[-1] not in OPENING + "(" for line in lines[:-1]), (width, lines)


def test_wrap_breaks_an_overlong_token_rather_than_lose_it(font):
    url = "https://zsj.example.cn/p/Zx9kQ2mV7bT4nR8wL3pY6d/"
    lines = wrap(url, font, 120)
    assert "".join(lines) == url and len(lines) > 1
    assert wrap("", font, 100) == []


_cjk = st.sampled_from("重庆市京津冀地区产业对接活动签约项目招商服务中心北科技")
# "共" first, so that two numbers never run together into one token wider than the line.
_number = st.builds(lambda d, dec, unit: "共" + d + (f".{dec}" if dec else "") + unit,
                    st.text("0123456789", min_size=1, max_size=8), st.text("0123456789", max_size=2),
                    st.sampled_from(["亿元", "万元", "个", "余人", "家", "%", "年", "月", "日", ""]))
_punct = st.sampled_from(list(CLOSING + OPENING) + [" ", "·"])


@hypothesis_settings(max_examples=150, deadline=None)
@given(parts=st.lists(st.one_of(_cjk, _cjk, _cjk, _number, _punct), min_size=1, max_size=40),
       width=st.integers(min_value=270, max_value=700))
@example(parts=["共0000000亿元", "，", "，", "，", "，"], width=270)  # found by CI: the number and its marks overfill
@example(parts=["重庆市", "，", "，", "，", "，"], width=270)
def test_wrap_property_nothing_lost_numbers_whole_kinsoku_kept(font, parts, width):
    text = "".join(parts)
    lines = wrap(text, font, width)
    assert "".join(lines) == text
    breaks, pos = set(), 0
    for line in lines[:-1]:
        pos += len(line)
        breaks.add(pos)
    pos = 0
    for part in parts:
        if part.startswith("共"):
            assert not any(pos + 1 < b < pos + len(part) for b in breaks), (part, lines)
        pos += len(part)
    pen, start = _penalties(text), 0
    for a, b in zip(lines, lines[1:], strict=False):
        # 禁则 gives way only where the line had no other allowed break: a run of marks wider than the
        # line, or a whole number with the marks glued to it ("共0000000亿元，，，，" at 270px).
        glued = not any(pen[j] <= _DATE_PART for j in range(start + 1, start + len(a)))
        assert glued or b[0] not in CLOSING + "·", (width, lines)
        assert glued or a[-1] not in OPENING, (width, lines)
        start += len(a)


# -------------------------------------------------------------------------------------------- fonts

def _fake_fontconfig(monkeypatch, answers: dict[str, str]):
    calls = []

    def run(args, **kwargs):
        calls.append(args[0])
        if args[0] not in answers:
            raise FileNotFoundError(args[0])
        return subprocess.CompletedProcess(args, 0, stdout=answers[args[0]], stderr="")

    monkeypatch.setattr(posters.subprocess, "run", run)
    return calls


def test_without_fontconfig_or_a_setting_the_message_says_what_to_install(monkeypatch, settings, font_lookup):
    settings.POSTER_FONT_PATH = ""
    _fake_fontconfig(monkeypatch, {})
    with pytest.raises(PosterFontMissing, match="apt-get install fonts-wqy-microhei") as raised:
        find_cjk_font()
    assert "找不到中文字体" in str(raised.value) and "fonts-noto-cjk" in str(raised.value)
    with pytest.raises(PosterFontMissing):
        render(DEMO)


def test_a_latin_font_from_fc_match_is_not_taken_for_a_chinese_one(monkeypatch, settings, font_lookup):
    settings.POSTER_FONT_PATH = ""
    dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    _fake_fontconfig(monkeypatch, {"fc-match": f"{dejavu}\t0\taa|de|en|fr|ru", "fc-list": ""})
    with pytest.raises(PosterFontMissing, match="fonts-wqy-microhei"):
        find_cjk_font()


def test_fc_list_is_the_fallback_and_prefers_a_simplified_chinese_proportional_face(monkeypatch, settings,
                                                                                    font_lookup, tmp_path):
    settings.POSTER_FONT_PATH = ""
    mono, sans = tmp_path / "a-mono.ttc", tmp_path / "b-sans.ttc"
    mono.write_bytes(b"x")
    sans.write_bytes(b"x")
    _fake_fontconfig(monkeypatch, {
        "fc-match": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf\t0\ten|fr",
        "fc-list": f"{mono}\t1\tja|zh-cn|zh-tw\tWenQuanYi Micro Hei Mono\n"
                   f"{sans}\t2\tzh-tw\tNoto Sans CJK TC\n"
                   f"{sans}\t3\tja|zh-cn\tNoto Sans CJK SC\n",
    })
    assert posters._font_face() == (str(sans), 3)


def test_the_setting_wins_and_a_missing_file_is_named(monkeypatch, settings, font_lookup, tmp_path):
    real = find_cjk_font()
    settings.POSTER_FONT_PATH = real
    calls = _fake_fontconfig(monkeypatch, {"fc-query": "0\tja|zh-cn\n"})
    assert find_cjk_font() == real
    assert "fc-match" not in calls
    settings.POSTER_FONT_PATH = str(tmp_path / "nope.ttf")
    with pytest.raises(PosterFontMissing, match="nope.ttf"):
        find_cjk_font()


def test_the_system_font_is_a_chinese_one_found_by_fontconfig(font_lookup):
    path = find_cjk_font()
    assert not path.startswith(str(posters.__file__).rsplit("/apps/", 1)[0])  # never a font in the repo
    font = posters._Fonts(posters._font_face())(40)
    assert font.getbbox("中")[2] > 30  # a real glyph, not an empty box


# -------------------------------------------------------------------------------------------- cache

def test_cached_png_renders_once_and_then_reads_the_stored_file(monkeypatch, file_storage):
    calls = []
    real_render = posters.render

    def counting(spec, size="portrait"):
        calls.append((spec.title, size))
        return real_render(spec, size)

    monkeypatch.setattr(posters, "render", counting)
    first = cached_png(DEMO, "portrait")
    stored = file_storage / "posters" / f"{spec_digest(DEMO, 'portrait')}.png"
    assert stored.read_bytes() == first and len(calls) == 1
    assert cached_png(DEMO, "portrait") == first and len(calls) == 1

    renamed = dataclasses.replace(DEMO, title="重庆市与粤港澳大湾区产业对接活动")
    assert cached_png(renamed, "portrait") != first and len(calls) == 2
    assert cached_png(DEMO, "square") != first and len(calls) == 3
    assert len(list((file_storage / "posters").iterdir())) == 3


def test_a_half_written_file_is_not_served(file_storage):
    name = file_storage / "posters" / f"{spec_digest(DEMO, 'portrait')}.png"
    name.parent.mkdir()
    name.write_bytes(render(DEMO)[:1000])  # another process is still writing it
    png = cached_png(DEMO)
    assert png.endswith(b"IEND\xaeB`\x82") and _image(png).size == (750, 1334)


def test_the_digest_follows_everything_that_changes_the_image(monkeypatch, settings, font_lookup, tmp_path):
    base = spec_digest(DEMO, "portrait")
    assert spec_digest(DEMO, "portrait") == base
    assert spec_digest(DEMO, "square") != base
    assert spec_digest(dataclasses.replace(DEMO, url=DEMO.url + "x"), "portrait") != base
    assert spec_digest(dataclasses.replace(DEMO, lines=DEMO.lines[:-1]), "portrait") != base
    monkeypatch.setattr(posters, "RENDER_VERSION", posters.RENDER_VERSION + "-next")
    assert spec_digest(DEMO, "portrait") != base
    monkeypatch.undo()
    link = tmp_path / "other-font.ttc"
    link.symlink_to(find_cjk_font())
    settings.POSTER_FONT_PATH = str(link)
    assert spec_digest(DEMO, "portrait") != base

"""Share posters (分享图 / 喜报): a phone-sized PNG of a signing ceremony or of one project's signing,
forwarded in WeChat groups, with a QR code that opens the public mobile page.

Pure: no models, no database. The caller builds a `PosterSpec` of display strings; `layout()` turns it
into a display list of `Placed` items (every text run, the QR code and the shapes behind them, with
their boxes) and `render()` only paints that list, so tests can check the geometry — nothing cut,
nothing overlapping, everything inside the canvas — without reading pixels.

The font is the system's CJK font, found through fontconfig (or settings.POSTER_FONT_PATH); nothing is
committed to the repository or downloaded. Text is never truncated or ellipsised: it wraps and shrinks.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import math
import os
import re
import subprocess
from dataclasses import dataclass
from functools import lru_cache

import PIL
import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

# Bump whenever a change here alters the pixels: cached posters are keyed by it.
RENDER_VERSION = "1"

SIZES = {"portrait": (750, 1334), "square": (1080, 1080)}

FONT_MISSING = (
    "找不到中文字体：请安装 fonts-noto-cjk 或 fonts-wqy-microhei（apt-get install fonts-wqy-microhei），"
    "或在 POSTER_FONT_PATH 中指定字体文件。"
)

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Figure:
    label: str
    value: str


@dataclass(frozen=True)
class Line:
    title: str
    detail: str = ""


@dataclass(frozen=True)
class PosterSpec:
    template: str
    title: str
    subtitle: str
    figures: tuple[Figure, ...]
    lines_heading: str
    lines: tuple[Line, ...]
    issuer: str
    url: str
    qr_caption: str = "扫码查看详情"
    kicker: str = ""


@dataclass(frozen=True)
class Placed:
    """One item of the display list. ``kind`` "text" and "qr" are content (tests check them); the
    other kinds are shapes painted behind the content. Boxes are (x0, y0, x1, y1) in pixels; a text
    box is its run's full line box (ascender to descender), so ink never leaves it."""

    kind: str  # text | qr | gradient | pattern | shadow | rect | rule | circle | diamond
    box: tuple[int, int, int, int]
    role: str = ""  # title, figure_value, figure_unit, line_title, more, qr, card, …
    text: str = ""
    size: int = 0  # font size in px (text only)
    fill: RGB | None = None
    fill2: RGB | None = None  # gradient end colour / outline colour
    bold: bool = False
    tracking: int = 0  # extra px between characters
    radius: int = 0
    width: int = 0  # outline width
    group: int = -1  # index of the figure or list line a run belongs to


class PosterFontMissing(Exception):
    """No usable CJK font on this machine."""


# --------------------------------------------------------------------------------------------- fonts

def _run(args: list[str]) -> str:
    try:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""  # fontconfig not installed or hung: same as "nothing found"
    return proc.stdout if proc.returncode == 0 else ""


def _covers_chinese(langs: str) -> bool:
    return any(lang in ("zh-cn", "zh-sg") for lang in langs.split("|"))


@lru_cache(maxsize=8)
def _locate_font(configured: str) -> tuple[str, int]:
    """(path, face index) of the CJK font; keyed by the setting so that changing it takes effect.
    A failure raises and so is not cached: installing the font later needs no restart."""
    if configured:
        if not os.path.isfile(configured):
            raise PosterFontMissing(f"POSTER_FONT_PATH 指定的字体文件不存在：{configured}。" + FONT_MISSING)
        index = 0
        if configured.lower().endswith((".ttc", ".otc")):
            # A collection (Noto Sans CJK holds JP, KR, SC, TC…): take the face that covers zh-cn.
            for row in _run(["fc-query", "-f", "%{index}\t%{lang}\n", configured]).splitlines():
                idx, _, langs = row.partition("\t")
                if idx.isdigit() and _covers_chinese(langs):
                    index = int(idx)
                    break
        return configured, index
    # fc-match always answers, with DejaVu if need be: accept its answer only if it covers Chinese.
    row = _run(["fc-match", "-f", "%{file}\t%{index}\t%{lang}", ":lang=zh-cn"])
    path, _, rest = row.partition("\t")
    idx, _, langs = rest.partition("\t")
    if path and os.path.isfile(path) and _covers_chinese(langs):
        return path, int(idx) if idx.isdigit() else 0
    candidates = []
    for row in _run(["fc-list", "-f", "%{file}\t%{index}\t%{lang}\t%{family}\n", ":lang=zh"]).splitlines():
        path, idx, langs, family = (row.split("\t") + ["", "", "", ""])[:4]
        if path and os.path.isfile(path):
            # Simplified-Chinese coverage first, proportional before monospaced, then a stable order.
            candidates.append((not _covers_chinese(langs), "mono" in family.lower(), path,
                               int(idx) if idx.isdigit() else 0))
    if not candidates:
        raise PosterFontMissing(FONT_MISSING)
    _, _, path, index = min(candidates)
    return path, index


def _font_face() -> tuple[str, int]:
    return _locate_font(getattr(settings, "POSTER_FONT_PATH", "") or "")


def find_cjk_font() -> str:
    """Path of the CJK font posters are drawn in."""
    return _font_face()[0]


@lru_cache(maxsize=256)
def _load_font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    try:
        # BASIC layout: CJK needs no shaping, it is faster, and the output does not depend on
        # whether libraqm happens to be installed.
        return ImageFont.truetype(path, size, index=index, layout_engine=ImageFont.Layout.BASIC)
    except OSError as exc:
        raise PosterFontMissing(f"无法读取字体文件 {path}：{exc}。" + FONT_MISSING) from exc


class _Fonts:
    def __init__(self, face: tuple[str, int]):
        self.path, self.index = face

    def __call__(self, size: int) -> ImageFont.FreeTypeFont:
        return _load_font(self.path, self.index, max(1, int(size)))


# ------------------------------------------------------------------------------------ line breaking

# No line may start with these (closing punctuation, 间隔号, ellipsis) or end with _OPEN.
_CLOSE = frozenset("，。、；：！？）》」』”’】〕〉｝〗…·‧・,.;:!?)]}%％‰")
_OPEN = frozenset("（《「『“‘【〔〈｛〖([{")
_DIGIT = "0-9０-９"
_UNIT = ("平方公里|平方米|公里|公顷|万元|元|个|人|家|项(?!目)|年|月|日|号|倍|次|吨|亩|米|台|套|位|名|"
         "届|期|座|岁|天|户|%|％|‰|℃")
# A number with its decimals, magnitude and unit ("239.5亿元", "400余人", "3万余人", "5G", "10kV"),
# or a Latin word: one unbreakable token.
_TOKEN = re.compile(
    rf"[{_DIGIT}]+(?:[.,:．][{_DIGIT}]+)*[A-Za-z]*(?:[余多])?(?:[十百千万亿]+)?(?:[余多])?(?:{_UNIT})?(?:[余多])?"
    r"|[A-Za-z][A-Za-z0-9]*(?:[.\-_/:&'][A-Za-z0-9]+)*"
)
# Inside a date, a break between 年/月/日 parts is allowed only if nothing better fits.
_DATE = re.compile(rf"[{_DIGIT}]{{2,4}}年[{_DIGIT}]{{1,2}}月(?:[{_DIGIT}]{{1,2}}日)?|[{_DIGIT}]{{1,2}}月[{_DIGIT}]{{1,2}}日")
# Break-before penalties; wrap() tries the lowest level first.
_FREE, _DATE_PART, _KINSOKU, _IN_TOKEN = 0, 1, 5, 9


def _penalties(text: str) -> list[int]:
    pen = [_FREE] * (len(text) + 1)
    for i in range(1, len(text)):
        prev, char = text[i - 1], text[i]
        if char.isspace() or char in _CLOSE or prev in _OPEN or (prev == char and char in "—…"):
            pen[i] = _KINSOKU  # spaces stay at the end of a line, punctuation with its neighbour
    for match in _DATE.finditer(text):
        for i in range(match.start() + 1, match.end()):
            pen[i] = max(pen[i], _DATE_PART)
    for match in _TOKEN.finditer(text):
        for i in range(match.start() + 1, match.end()):
            pen[i] = _IN_TOKEN
    return pen


def _natural(text: str, j: int) -> bool:
    return text[j - 1].isspace() or text[j - 1] in "，、；：。！？·" or text[j] in _OPEN


def wrap(text: str, font: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``max_width`` (trailing spaces aside) in ``font``.

    Breaks anywhere between CJK characters and after spaces; never inside a number with its unit or a
    Latin word unless that token alone is wider than the line; keeps 禁则 (no line starts with "，。）"
    etc., none ends with "（《“" etc.). A newline forces a break. "".join(result) == text, always.
    """
    if not text:
        return []
    pen = _penalties(text)
    n = len(text)
    lines: list[str] = []
    start = 0
    while start < n:
        fit_end, hard = start, False
        for j in range(start + 1, n + 1):
            seg = text[start:j].rstrip()
            if not seg or font.getlength(seg) <= max_width:
                fit_end = j
                if text[j - 1] == "\n":
                    hard = True
                    break
            elif not text[j - 1].isspace():
                break
        end = fit_end if (hard or fit_end == n) else None
        if end is None:
            # A natural break (after a space or a pause mark, before a bracket) if the line stays
            # two-thirds full; otherwise the last allowed break, the weakest rule giving way first.
            end = next((j for j in range(fit_end, start, -1) if pen[j] == _FREE and _natural(text, j)
                        and font.getlength(text[start:j].rstrip()) >= max_width * 2 / 3), None)
        if end is None:
            for level in (_FREE, _DATE_PART, _KINSOKU, _IN_TOKEN):
                end = next((j for j in range(fit_end, start, -1) if pen[j] <= level), None)
                if end is not None:
                    break
        if not end or end <= start:
            end = start + 1  # not even one character fits: it still must be shown
        lines.append(text[start:end])
        start = end
    return lines


def _balanced(text: str, font: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
    """Like wrap(), but as narrow as possible without adding a line, so a title's last line is not a
    lone word under two full ones."""
    lines = wrap(text, font, max_width)
    if len(lines) < 2:
        return lines
    lo, hi = max_width // len(lines), max_width
    while lo < hi:
        mid = (lo + hi) // 2
        if len(wrap(text, font, mid)) <= len(lines):
            hi = mid
        else:
            lo = mid + 1
    return wrap(text, font, hi)


# ------------------------------------------------------------------------------------------- design

@dataclass(frozen=True)
class _Theme:
    page: RGB
    band_top: RGB
    band_bottom: RGB
    full_band: bool  # 喜报: the whole page is the red band
    centred: bool
    kicker: RGB
    title: RGB
    subtitle: RGB
    card: RGB
    card_outline: RGB | None
    shadow: bool
    value: RGB
    label: RGB
    rule: RGB
    heading: RGB
    accent: RGB
    line_title: RGB
    line_detail: RGB
    badge: RGB
    badge_text: RGB
    footer_text: RGB
    caption: RGB
    more: str  # "等{n}个项目"


_THEMES = {
    # Deep blue and restrained: a government signing ceremony.
    "event": _Theme(
        page=(240, 243, 248), band_top=(9, 36, 92), band_bottom=(22, 74, 158), full_band=False,
        centred=False, kicker=(222, 186, 116), title=(255, 255, 255), subtitle=(190, 208, 238),
        card=(255, 255, 255), card_outline=None, shadow=True, value=(14, 60, 140), label=(100, 112, 130),
        rule=(223, 228, 237), heading=(12, 40, 98), accent=(200, 160, 84), line_title=(28, 36, 52),
        line_detail=(98, 110, 128), badge=(14, 60, 140), badge_text=(255, 255, 255),
        footer_text=(12, 40, 98), caption=(98, 110, 128), more="等{n}个项目",
    ),
    # Red and gold, festive: 喜报.
    "xibao": _Theme(
        page=(170, 16, 22), band_top=(214, 38, 32), band_bottom=(160, 12, 20), full_band=True,
        centred=True, kicker=(255, 214, 130), title=(255, 246, 224), subtitle=(250, 214, 146),
        card=(255, 248, 234), card_outline=(232, 186, 104), shadow=False, value=(196, 20, 28),
        label=(130, 84, 56), rule=(240, 216, 178), heading=(176, 18, 26), accent=(214, 160, 60),
        line_title=(60, 30, 20), line_detail=(132, 88, 60), badge=(196, 20, 28), badge_text=(255, 226, 150),
        footer_text=(255, 220, 150), caption=(250, 224, 180), more="等{n}项",
    ),
}


@dataclass(frozen=True)
class _Metrics:
    margin: int
    top: int
    bottom: int
    kicker: int
    big_kicker: int  # 喜报's kicker is the headline itself
    title_max: int
    title_min: int
    subtitle: int
    subtitle_min: int
    value_max: int
    label: int
    heading: int
    line_max: int
    line_min: int
    detail: int
    detail_min: int
    issuer: int
    issuer_min: int
    caption: int
    qr_code_min: int  # the symbol without its quiet zone
    qr_tile_min: int  # with the quiet zone (the white tile)
    per_row: int
    list_beside_qr: bool


_METRICS = {
    "portrait": _Metrics(
        margin=48, top=64, bottom=40, kicker=24, big_kicker=76, title_max=60, title_min=40, subtitle=28,
        subtitle_min=22, value_max=60, label=24, heading=30, line_max=30, line_min=24, detail=24,
        detail_min=20, issuer=30, issuer_min=22, caption=22, qr_code_min=180, qr_tile_min=200,
        per_row=3, list_beside_qr=False,
    ),
    "square": _Metrics(
        margin=64, top=60, bottom=52, kicker=26, big_kicker=68, title_max=60, title_min=44, subtitle=30,
        subtitle_min=24, value_max=58, label=26, heading=30, line_max=30, line_min=24, detail=24,
        detail_min=20, issuer=32, issuer_min=24, caption=24, qr_code_min=220, qr_tile_min=240,
        per_row=4, list_beside_qr=True,
    ),
}

# If the fixed parts do not fit (an absurdly long title), the title goes below its minimum size.
_EMERGENCY_TITLE_FLOORS = (36, 32, 28, 24, 20, 16)


def _stroke(size: int, bold: bool) -> float:
    # The system CJK fonts come in one weight; a thin stroke in the text colour stands in for bold.
    # Thicker than ~size/80 and FreeType's stroker fills the counters of dense glyphs (重, 冀, 事).
    return round(size / 80, 2) if bold else 0


class _Canvas:
    """Collects the display list while measuring text in the poster's font."""

    def __init__(self, fonts: _Fonts):
        self.fonts = fonts
        self.back: list[Placed] = []
        self.front: list[Placed] = []

    def width(self, text: str, size: int, bold: bool = False, tracking: int = 0) -> int:
        text = text.rstrip()
        if not text:
            return 0
        return math.ceil(self.fonts(size).getlength(text) + 2 * _stroke(size, bold)) + tracking * (len(text) - 1)

    def height(self, size: int) -> int:
        ascent, descent = self.fonts(size).getmetrics()
        return ascent + descent

    def ascent(self, size: int) -> int:
        return self.fonts(size).getmetrics()[0]

    def text(self, role: str, text: str, x: float, y: float, size: int, fill: RGB, *, bold: bool = False,
             group: int = -1, tracking: int = 0) -> Placed:
        x, y = round(x), round(y)
        placed = Placed("text", (x, y, x + self.width(text, size, bold, tracking), y + self.height(size)),
                        role=role, text=text, size=size, fill=fill, bold=bold, tracking=tracking, group=group)
        self.front.append(placed)
        return placed

    def lines(self, role: str, lines: list[str], x0: float, x1: float, y: float, size: int, fill: RGB, *,
              leading: float, bold: bool = False, align: str = "left", group: int = -1) -> float:
        """Place ``lines`` one under another; return the y below the last."""
        step = round(size * leading)
        for line in lines:
            w = self.width(line, size, bold)
            x = x0 if align == "left" else (x1 - w if align == "right" else (x0 + x1 - w) / 2)
            self.text(role, line, x, y, size, fill, bold=bold, group=group)
            y += step
        return y - step + self.height(size) if lines else y

    def shape(self, kind: str, box, **kw) -> None:
        self.back.append(Placed(kind, tuple(round(v) for v in box), **kw))

    def fit(self, text: str, width: int, sizes: range, max_lines: int, bold: bool = False
            ) -> tuple[int, list[str]]:
        """The largest size in ``sizes`` at which ``text`` wraps into ``max_lines`` lines; otherwise the
        smallest size with as many lines as it takes."""
        size = sizes[0]
        for size in sizes:
            lines = wrap(text, self.fonts(size), width - 2 * _stroke(size, bold))
            if len(lines) <= max_lines:
                return size, lines
        return size, wrap(text, self.fonts(size), width - 2 * _stroke(size, bold))


def _down(start: int, stop: int, step: int = 2) -> range:
    return range(start, min(start, stop) - 1, -step)


@lru_cache(maxsize=64)
def _qr_matrix(url: str) -> tuple[bytes, ...]:
    # make_qr, not make: a Micro QR code (segno's choice for short data) does not scan in WeChat.
    qr = segno.make_qr(url, error="m", boost_error=True)
    return tuple(bytes(row) for row in qr.matrix)


QR_BORDER = 4  # modules of quiet zone, as the standard asks


def _qr_scale(url: str, m: _Metrics) -> int:
    modules = len(_qr_matrix(url))
    return max(math.ceil(m.qr_code_min / modules), math.ceil(m.qr_tile_min / (modules + 2 * QR_BORDER)))


def _split_value(value: str) -> tuple[str, str, str]:
    """"239.5亿元" → ("", "239.5", "亿元"): the number is drawn big, its unit small."""
    match = re.search(rf"[{_DIGIT}][{_DIGIT}.,．]*", value)
    if not match:
        return "", value, ""
    return value[: match.start()], match.group(), value[match.end():]


# ------------------------------------------------------------------------------------------- layout

def layout(spec: PosterSpec, size: str = "portrait") -> list[Placed]:
    """The poster as a display list: shapes first (painted in order), then text runs and the QR code."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {sorted(SIZES)}, not {size!r}")
    if spec.template not in _THEMES:
        raise ValueError(f"template must be one of {sorted(_THEMES)}, not {spec.template!r}")
    fonts = _Fonts(_font_face())
    m = _METRICS[size]
    theme = _THEMES[spec.template]
    for floor in (m.title_min, *(f for f in _EMERGENCY_TITLE_FLOORS if f < m.title_min)):
        canvas, fits, slack = _compose(spec, size, m, theme, fonts, floor)
        if fits:
            break
    if fits and slack > 40:
        # Little to show (no list, a short one): lower the content a little rather than leave it all
        # at the top above a hole. Everything fitted with `slack` to spare, so it still fits.
        canvas, fits, _ = _compose(spec, size, m, theme, fonts, floor, extra_top=round(min(slack * 0.4, 160)))
    return canvas.back + canvas.front


def _compose(spec: PosterSpec, size: str, m: _Metrics, t: _Theme, fonts: _Fonts, title_min: int,
             extra_top: int = 0) -> tuple[_Canvas, bool, float]:
    """Lay the poster out; also say whether it all fitted and how many pixels were left over (0 if
    any list line had to be left out)."""
    c = _Canvas(fonts)
    W, H = SIZES[size]
    x0, x1 = m.margin, W - m.margin

    # Footer first: it is pinned to the bottom and everything else flows into the space above it.
    modules = len(_qr_matrix(spec.url))
    tile = (modules + 2 * QR_BORDER) * _qr_scale(spec.url, m)
    cap_size, cap_lines = c.fit(spec.qr_caption, tile + 40, _down(m.caption, 16), 2)
    cap_gap = 12
    cap_h = (len(cap_lines) - 1) * round(cap_size * 1.35) + c.height(cap_size) if cap_lines else 0
    qr_y1 = H - m.bottom - (cap_h + cap_gap if cap_lines else 0)
    qr_box = (x1 - tile, qr_y1 - tile, x1, qr_y1)
    c.front.append(Placed("qr", qr_box, role="qr", text=spec.url))
    c.lines("qr_caption", cap_lines, qr_box[0] - 20, qr_box[2] + 20, qr_y1 + cap_gap, cap_size, t.caption,
            leading=1.35, align="center")

    issuer_x1 = qr_box[0] - 36
    # One line if it can be had without going below the minimum size; else two balanced lines.
    iss_size, iss_lines = c.fit(spec.issuer, issuer_x1 - x0, _down(m.issuer, m.issuer_min), 1, bold=True)
    if len(iss_lines) > 1:
        iss_size, iss_lines = c.fit(spec.issuer, issuer_x1 - x0, _down(m.issuer, m.issuer_min), 2, bold=True)
        iss_lines = _balanced(spec.issuer, fonts(iss_size), issuer_x1 - x0 - 2 * _stroke(iss_size, True))
    iss_h = (len(iss_lines) - 1) * round(iss_size * 1.35) + c.height(iss_size) if iss_lines else 0
    if m.list_beside_qr:
        iss_y = H - m.bottom - iss_h  # bottom-left, level with the caption under the QR code
    else:
        iss_y = qr_box[1] + (tile - iss_h) / 2
    if iss_lines:
        c.shape("rule", (x0, iss_y - 26, x0 + 56, iss_y - 20), fill=t.accent)
        c.lines("issuer", iss_lines, x0, issuer_x1, iss_y, iss_size, t.footer_text, leading=1.35, bold=True)
    iss_top = iss_y - 26 if iss_lines else H - m.bottom
    # The list ends above the QR code, or (square) above the issuer when it sits beside the code.
    footer_top = iss_top if m.list_beside_qr else min(qr_box[1], iss_top)

    # Header: kicker, title, subtitle on the band.
    y = m.top + extra_top
    if spec.kicker:
        y = _kicker(c, spec.kicker, t, m, x0, x1, y)
    title_size, title_lines = c.fit(spec.title, x1 - x0, _down(m.title_max, title_min), 3, bold=True)
    title_lines = _balanced(spec.title, fonts(title_size), x1 - x0 - 2 * _stroke(title_size, True))
    align = "center" if t.centred else "left"
    y = c.lines("title", title_lines, x0, x1, y, title_size, t.title, leading=1.28, bold=True, align=align)
    if spec.subtitle:
        y += 16
        sub_size, sub_lines = c.fit(spec.subtitle, x1 - x0, _down(m.subtitle, m.subtitle_min), 1)
        if len(sub_lines) > 1:
            sub_size, sub_lines = c.fit(spec.subtitle, x1 - x0, _down(m.subtitle, m.subtitle_min), 2)
            sub_lines = _balanced(spec.subtitle, fonts(sub_size), x1 - x0)
        y = c.lines("subtitle", sub_lines, x0, x1, y, sub_size, t.subtitle, leading=1.35, align=align)

    # Figures card, straddling the band's lower edge.
    if spec.figures:
        card_top = y + 44
        card_bottom = _figures(c, spec.figures, t, m, x0, x1, card_top)
        band_bottom = card_top + 64
        y = card_bottom
        slack = min(qr_box[1], footer_top) - 24 - card_bottom
    else:
        band_bottom = y + 56
        y = band_bottom
        slack = min(qr_box[1], footer_top) - 24 - y
    fits = slack >= 0
    band_bottom = round(band_bottom)
    if t.full_band:
        c.back.insert(0, Placed("gradient", (0, 0, W, H), role="band", fill=t.band_top, fill2=t.band_bottom))
        c.back.insert(1, Placed("pattern", (0, 0, W, H), role="rays"))
        c.back.insert(2, Placed("rect", (22, 22, W - 22, H - 22), role="frame", fill2=t.accent, width=2))
        c.back.insert(3, Placed("rect", (30, 30, W - 30, H - 30), role="frame", fill2=t.accent, width=1))
    else:
        c.back.insert(0, Placed("gradient", (0, 0, W, band_bottom), role="band",
                                fill=t.band_top, fill2=t.band_bottom))
        c.back.insert(1, Placed("pattern", (0, 0, W, band_bottom), role="circles"))

    # The list, in whatever space is left above the footer.
    if spec.lines:
        list_x1 = qr_box[0] - 36 if m.list_beside_qr else x1
        list_bottom = footer_top - 24
        shown, end = _list(c, spec, t, m, x0, list_x1, y + 24, list_bottom)
        fits &= end <= list_bottom
        slack = min(slack, list_bottom - end) if shown == len(spec.lines) else 0
    return c, fits, max(0, slack)


def _kicker(c: _Canvas, text: str, t: _Theme, m: _Metrics, x0: int, x1: int, y: float) -> float:
    if t.full_band:
        # 喜报: big gold characters, spaced out, between two gold rules ending in diamonds.
        ornament = 96
        size, lines = c.fit(text, x1 - x0 - 2 * ornament, _down(m.big_kicker, 24), 1, bold=True)
        tracking = round(size * 0.3) if len(text) <= 4 else 0
        if len(lines) == 1:
            w = c.width(text, size, True, tracking)
            tx = (x0 + x1 - w) / 2
            mid = y + c.height(size) * 0.45
            for sign, edge in ((-1, tx - 24), (1, tx + w + 24)):
                far = edge + sign * (ornament - 30)
                c.shape("rule", (min(edge, far), mid - 1, max(edge, far), mid + 1), fill=t.kicker)
                c.shape("diamond", (edge - 7, mid - 7, edge + 7, mid + 7), fill=t.kicker)
            c.text("kicker", text, tx, y, size, t.kicker, bold=True, tracking=tracking)
            return y + c.height(size) + 18
        return c.lines("kicker", lines, x0, x1, y, size, t.kicker, leading=1.25, bold=True, align="center") + 18
    # Event: a small outlined pill.
    size, lines = c.fit(text, x1 - x0 - 40, _down(m.kicker, 16), 1)
    if len(lines) != 1:
        return c.lines("kicker", lines, x0, x1, y, size, t.kicker, leading=1.3) + 22
    w, h = c.width(text, size), c.height(size)
    pad_x, pad_y = round(size * 0.8), round(size * 0.3)
    px0 = x0 if not t.centred else (x0 + x1) / 2 - w / 2 - pad_x
    c.shape("rect", (px0, y, px0 + w + 2 * pad_x, y + h + 2 * pad_y), role="pill", fill2=t.kicker,
            width=2, radius=(h + 2 * pad_y) // 2)
    c.text("kicker", text, px0 + pad_x, y + pad_y, size, t.kicker)
    return y + h + 2 * pad_y + 22


def _figures(c: _Canvas, figures, t: _Theme, m: _Metrics, x0: int, x1: int, top: float) -> float:
    """The headline figures in a card: big numbers with small units, one size for all; a row of up to
    three (four on the square poster), four on a portrait poster as two by two."""
    at = len(c.back)
    n = len(figures)
    per_row = 2 if (n == 4 and m.per_row == 3) else min(n, m.per_row)
    rows = math.ceil(n / per_row)
    pad_x, pad_y = 20, 26
    cell_w = (x1 - x0 - 2 * pad_x) / per_row
    inner = cell_w - 28
    parts = [_split_value(f.value) for f in figures]

    def unit_size(s: int) -> int:
        return max(12, round(s * 0.42))

    def value_width(p, s: int) -> int:
        u = unit_size(s)
        return c.width(p[0], u, True) + c.width(p[1], s, True) + c.width(p[2], u, True)

    vsize = m.value_max
    while vsize > 12 and any(value_width(p, vsize) > inner for p in parts):
        vsize -= 2  # one size for all figures, so they read as a row
    label_size = next((s for s in _down(m.label, 16) if all(c.width(f.label, s) <= inner for f in figures)), 16)
    label_lines = [wrap(f.label, c.fonts(label_size), inner) for f in figures]
    label_step = round(label_size * 1.3)

    value_h = c.height(vsize)
    y = top + pad_y
    for r in range(rows):
        row = range(r * per_row, min(n, (r + 1) * per_row))
        label_h = max(((len(label_lines[i]) - 1) * label_step + c.height(label_size)) for i in row)
        row_h = value_h + 8 + label_h
        for col, i in enumerate(row):
            cx = x0 + pad_x + cell_w * (col + 0.5) + (cell_w / 2 if len(row) < per_row else 0) * (per_row - len(row))
            prefix, number, suffix = parts[i]
            u = unit_size(vsize)
            x = cx - value_width(parts[i], vsize) / 2
            baseline = y + c.ascent(vsize)
            for text, s, role in ((prefix, u, "figure_unit"), (number, vsize, "figure_value"),
                                  (suffix, u, "figure_unit")):
                if text:
                    placed = c.text(role, text, x, baseline - c.ascent(s), s, t.value, bold=True, group=i)
                    x = placed.box[2]
            c.lines("figure_label", label_lines[i], cx - cell_w / 2, cx + cell_w / 2, y + value_h + 8, label_size,
                    t.label, leading=1.3, align="center", group=i)
            if col:
                lx = x0 + pad_x + cell_w * col
                c.shape("rule", (lx, y + 10, lx + 1, y + row_h - 6), fill=t.rule)
        y += row_h
        if r < rows - 1:
            c.shape("rule", (x0 + pad_x + 16, y + 18, x1 - pad_x - 16, y + 19), fill=t.rule)
            y += 38
    bottom = y + pad_y
    _card(c, t, (x0, top, x1, bottom), at)
    return bottom


def _card(c: _Canvas, t: _Theme, box, at: int) -> None:
    """A card under the shapes drawn since display-list position ``at``."""
    box = tuple(round(v) for v in box)
    card = [Placed("rect", box, role="card", fill=t.card, fill2=t.card_outline, width=2 if t.card_outline else 0,
                   radius=18)]
    if t.shadow:
        card.insert(0, Placed("shadow", box, role="shadow", radius=18))
    c.back[at:at] = card


def _list(c: _Canvas, spec: PosterSpec, t: _Theme, m: _Metrics, x0: int, x1: int, top: float,
          bottom: float) -> tuple[int, float]:
    """The heading and as many lines as fit above ``bottom``; "等N个项目" for the rest. Returns how many
    lines are shown and where the card ends (below ``bottom`` only if not even the heading and the
    note fit: then nothing is placed)."""
    at = len(c.back)
    pad = 24
    ix0, ix1 = x0 + pad + 4, x1 - pad - 4
    head_h = c.height(m.heading) if spec.lines_heading else 0
    badge = round(m.line_max * 1.15)
    tx0 = ix0 + badge + 16
    # One size for every row's title: the largest at which each wraps into two lines.
    tsize = next((s for s in _down(m.line_max, m.line_min)
                  if all(len(wrap(ln.title, c.fonts(s), ix1 - tx0)) <= 2 for ln in spec.lines)), m.line_min)
    dsize = next((s for s in _down(m.detail, m.detail_min)
                  if all(len(wrap(ln.detail, c.fonts(s), ix1 - tx0)) <= 1 for ln in spec.lines)), m.detail_min)
    t_step, d_step = round(tsize * 1.3), round(dsize * 1.35)
    more_size = m.detail
    more_h = c.height(more_size) + 4

    y = top + pad
    content_top = y
    if spec.lines_heading:
        y += head_h + 14
    rows = []
    for i, ln in enumerate(spec.lines):
        tl = _balanced(ln.title, c.fonts(tsize), ix1 - tx0)
        dl = _balanced(ln.detail, c.fonts(dsize), ix1 - tx0)
        h = max(badge, (len(tl) - 1) * t_step + c.height(tsize)) + (4 + (len(dl) - 1) * d_step + c.height(dsize)
                                                                    if dl else 0)
        gap = 25 if rows else 0  # a rule between rows
        rest = len(spec.lines) - i - 1
        if y + gap + h + (more_h if rest else 0) + pad > bottom:
            break
        rows.append((i, tl, dl, y + gap))
        y += gap + h
    hidden = len(spec.lines) - len(rows)
    if y + (more_h if hidden else 0) + pad > bottom:
        return 0, y + (more_h if hidden else 0) + pad

    if spec.lines_heading:
        hx = ix0
        c.shape("rule", (hx, content_top + 4, hx + 6, content_top + head_h - 4), fill=t.accent)
        c.text("heading", spec.lines_heading, hx + 18, content_top, m.heading, t.heading, bold=True)
    for n, (i, tl, dl, ry) in enumerate(rows):
        if n:
            c.shape("rule", (ix0, ry - 13, ix1, ry - 12), fill=t.rule)
        bx, by = ix0, ry + (c.height(tsize) - badge) / 2
        if t.full_band:
            d = badge // 3
            c.shape("diamond", (bx + badge / 2 - d, by + badge / 2 - d, bx + badge / 2 + d, by + badge / 2 + d),
                    fill=t.accent)
        else:
            c.shape("circle", (bx, by, bx + badge, by + badge), fill=t.badge)
            num = str(i + 1)
            ns = round(badge * 0.55)
            c.text("badge", num, bx + (badge - c.width(num, ns, True)) / 2, by + (badge - c.height(ns)) / 2, ns,
                   t.badge_text, bold=True, group=i)
        yy = c.lines("line_title", tl, tx0, ix1, ry, tsize, t.line_title, leading=1.3, group=i)
        if dl:
            c.lines("line_detail", dl, tx0, ix1, yy + 4, dsize, t.line_detail, leading=1.35, group=i)
    if hidden:
        more = t.more.format(n=hidden)
        c.text("more", more, ix1 - c.width(more, more_size), y + 4, more_size, t.line_detail)
        y += more_h
    _card(c, t, (x0, top, x1, y + pad), at)
    return len(rows), y + pad


# ------------------------------------------------------------------------------------------- render

@lru_cache(maxsize=32)
def _round_mask(w: int, h: int, radius: int, inset: int = 0) -> Image.Image:
    """Anti-aliased rounded-rectangle mask (drawn 4× and reduced): Pillow's own shapes have jagged edges."""
    k = 4
    big = Image.new("L", (w * k, h * k), 0)
    ImageDraw.Draw(big).rounded_rectangle((inset * k, inset * k, (w - inset) * k - 1, (h - inset) * k - 1),
                                          radius=max(0, radius - inset) * k, fill=255)
    return big.reduce(k)


@lru_cache(maxsize=16)
def _ring_mask(w: int, h: int, radius: int, width: int) -> Image.Image:
    return ImageChops.subtract(_round_mask(w, h, radius), _round_mask(w, h, radius, width))


@lru_cache(maxsize=16)
def _shadow_mask(w: int, h: int, radius: int, blur: int) -> Image.Image:
    mask = Image.new("L", (w + 4 * blur, h + 4 * blur), 0)
    mask.paste(_round_mask(w, h, radius).point(lambda v: v * 40 // 255), (2 * blur, 2 * blur))
    return mask.filter(ImageFilter.GaussianBlur(blur))


@lru_cache(maxsize=16)
def _gradient(w: int, h: int, top: RGB, bottom: RGB) -> Image.Image:
    mask = Image.linear_gradient("L").resize((w, h), Image.Resampling.BILINEAR)
    return Image.composite(Image.new("RGB", (w, h), bottom), Image.new("RGB", (w, h), top), mask)


@lru_cache(maxsize=8)
def _pattern(role: str, w: int, h: int) -> Image.Image:
    """A faint decoration for the band, as an alpha mask of the lighter colour."""
    k = 2
    mask = Image.new("L", (w * k, h * k), 0)
    draw = ImageDraw.Draw(mask)
    if role == "rays":
        # 喜报: rays from above the top centre, fading towards the bottom.
        cx, cy = w * k / 2, -h * k * 0.15
        reach = 2 * (w + h) * k
        for i in range(24):
            a0 = math.pi * (i / 24)
            a1 = a0 + math.pi / 48
            draw.polygon([(cx, cy), (cx + reach * math.cos(a0), cy + reach * math.sin(a0)),
                          (cx + reach * math.cos(a1), cy + reach * math.sin(a1))], fill=26)
        fade = Image.linear_gradient("L").resize((w * k, h * k)).point(lambda v: 255 - v)
        mask = Image.composite(mask, Image.new("L", mask.size, 0), fade)
    else:
        # Event: two large soft rings in the band's upper right.
        r1 = w * 0.42 * k
        draw.ellipse((w * k - r1 * 1.1, -r1 * 0.9, w * k + r1 * 0.9, r1 * 1.1), fill=22)
        r2 = w * 0.30 * k
        draw.ellipse((w * k - r2 * 1.5, h * k * 0.35 - r2, w * k + r2 * 0.5, h * k * 0.35 + r2), outline=40,
                     width=3 * k)
    return mask.reduce(k)


def _paint(img: Image.Image, draw: ImageDraw.ImageDraw, p: Placed, fonts: _Fonts) -> None:
    x0, y0, x1, y1 = p.box
    if p.kind == "text":
        text = p.text.rstrip("\n")
        font, sw = fonts(p.size), _stroke(p.size, p.bold)
        if p.tracking:
            x = x0 + sw
            for ch in text:
                draw.text((x, y0), ch, font=font, fill=p.fill, anchor="la", stroke_width=sw, stroke_fill=p.fill)
                x += font.getlength(ch) + p.tracking
        else:
            draw.text((x0 + sw, y0), text, font=font, fill=p.fill, anchor="la", stroke_width=sw, stroke_fill=p.fill)
    elif p.kind == "qr":
        matrix = _qr_matrix(p.text)
        n = len(matrix)
        scale = (x1 - x0) // (n + 2 * QR_BORDER)
        code = Image.frombytes("L", (n, n), b"".join(bytes(0 if v else 255 for v in row) for row in matrix))
        tile = Image.new("RGB", (x1 - x0, y1 - y0), (255, 255, 255))
        tile.paste(code.resize((n * scale, n * scale), Image.Resampling.NEAREST),
                   (QR_BORDER * scale, QR_BORDER * scale))
        img.paste(tile, (x0, y0))
    elif p.kind == "gradient":
        img.paste(_gradient(x1 - x0, y1 - y0, p.fill, p.fill2), (x0, y0))
    elif p.kind == "pattern":
        img.paste((255, 255, 255) if p.role == "circles" else (255, 200, 120), (x0, y0),
                  _pattern(p.role, x1 - x0, y1 - y0))
    elif p.kind == "shadow":
        blur = 14
        mask = _shadow_mask(x1 - x0, y1 - y0, p.radius, blur)
        img.paste((10, 30, 70), (x0 - 2 * blur, y0 - 2 * blur + 8), mask)
    elif p.kind == "rect":
        w, h = x1 - x0, y1 - y0
        if p.radius:
            if p.fill:
                img.paste(p.fill, (x0, y0), _round_mask(w, h, p.radius, p.width if p.fill2 else 0))
            if p.fill2 and p.width:
                img.paste(p.fill2, (x0, y0), _ring_mask(w, h, p.radius, p.width))
        else:
            draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=p.fill, outline=p.fill2, width=p.width)
    elif p.kind == "rule":
        draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=p.fill)
    elif p.kind == "circle":
        img.paste(p.fill, (x0, y0), _round_mask(x1 - x0, y1 - y0, (x1 - x0) // 2))
    elif p.kind == "diamond":
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        draw.polygon([(cx, y0), (x1, cy), (cx, y1), (x0, cy)], fill=p.fill)


def render(spec: PosterSpec, size: str = "portrait") -> bytes:
    """The poster as PNG bytes, exactly SIZES[size]."""
    placed = layout(spec, size)
    fonts = _Fonts(_font_face())
    img = Image.new("RGB", SIZES[size], _THEMES[spec.template].page)
    draw = ImageDraw.Draw(img)
    for p in placed:
        _paint(img, draw, p, fonts)
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=3)  # level 6 costs twice the time for 5% smaller files
    return buf.getvalue()


# -------------------------------------------------------------------------------------------- cache

def spec_digest(spec: PosterSpec, size: str = "portrait") -> str:
    """SHA-256 of everything that changes the image: the spec, the size, this module's version, the
    font file (path, face, and size/mtime so a font upgrade re-renders) and the drawing libraries."""
    path, index = _font_face()
    try:
        stat = os.stat(path)
        font_id = [path, index, stat.st_size, stat.st_mtime_ns]
    except OSError:
        font_id = [path, index]
    payload = {
        "render_version": RENDER_VERSION,
        "size": size,
        "spec": dataclasses.asdict(spec),
        "font": font_id,
        "pillow": PIL.__version__,
        "segno": segno.__version__,
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


_PNG_END = b"IEND\xaeB`\x82"


def cached_png(spec: PosterSpec, size: str = "portrait") -> bytes:
    """render(), once per distinct poster: stored in default_storage as posters/<digest>.png."""
    name = f"posters/{spec_digest(spec, size)}.png"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as fh:
            data = fh.read()
        if data.endswith(_PNG_END):
            return data
        # Another process is still writing it: draw our own copy and leave theirs alone.
        return render(spec, size)
    data = render(spec, size)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(data))
    return data

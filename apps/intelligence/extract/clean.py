"""Input cleaning: bytes or text from a .txt/.html/.docx file → (title, clean text, published date).

The text the extractors see is normalised once (NFKC: full-width digits and punctuation → half-width;
traditional → simplified Chinese), so every later regex deals with one spelling and every span points
into that one string. Page furniture — share bars, 责任编辑/编辑/校对 lines, 相关推荐/延伸阅读 blocks —
is dropped here, line by line, before extraction.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata

import opencc

_T2S = opencc.OpenCC("t2s")

# characters NFKC leaves alone but that mean the same thing to us
_TRANSLATE = str.maketrans(
    {
        "〔": "(", "〕": ")", "\u3000": " ", "\u00a0": " ",
        "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None, "\r": None,
    }
)


def normalise(text: str) -> str:
    """NFKC + traditional→simplified; line structure kept. Idempotent, so extract() may call it on
    text read_article already cleaned."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    if not text.isascii():
        text = _T2S.convert(text)
    return text


# --------------------------------------------------------------------------------------------
# page furniture

_FURNITURE_LINE = re.compile(
    r"^\s*(?:"
    r"[(【\[]?\s*(?:责任编辑|编辑|责编|校对|审核|审校|终审|一审|二审|三审|监制|制作|排版|美编|摄影|记者|通讯员)"
    r"\s*[:：]\s*[^。]{0,40}?[)】\]]?\s*$"
    r"|.*(?:分享到|扫码分享|扫一扫|微信扫|分享图|点击分享|转发到|打印本页|关闭窗口|收藏本文|字号\s*[:：]?\s*[大中小]|"
    r"返回顶部|上一篇|下一篇|版权所有|本文来源于|未经授权|免责声明|举报电话|ICP备).*$"
    r"|(?:微信|微博|QQ空间|QQ|朋友圈|复制链接)(?:\s*[/|、]?\s*(?:微信|微博|QQ空间|QQ|朋友圈|复制链接))+\s*$"
    r"|分享\s*[:：]?\s*$|\[?打印\]?|\[?关闭\]?"
    r")$"
)
# Everything from such a heading to the end of the article is other articles' titles.
_TRAILING_BLOCK = re.compile(
    r"^\s*[【\[]?\s*(?:相关推荐|延伸阅读|相关新闻|相关阅读|推荐阅读|热点推荐|猜你喜欢|更多阅读|相关文章|热门文章|往期回顾|精彩推荐)"
    r"\s*[】\]]?\s*[:：]?\s*$"
)
_INLINE_EDITOR = re.compile(r"[(【\[]\s*(?:责任编辑|编辑|责编|校对)\s*[:：][^)】\]]{0,30}[)】\]]\s*$")
_DATE_LINE = re.compile(
    r"(?P<y>20\d\d|19\d\d)\s*[-年/.]\s*(?P<m>\d{1,2})\s*[-月/.]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
)
_SOURCE_WORDS = ("来源", "发布时间", "发布日期", "时间:", "浏览", "阅读量", "作者", "字体")


def _is_meta_line(line: str) -> bool:
    """The '2025-11-02 07:25:18 来源:重庆日报' line under a title."""
    if len(line) > 80:
        return False
    m = _DATE_LINE.search(line)
    if m and (any(w in line for w in _SOURCE_WORDS) or len(line.strip()) - (m.end() - m.start()) <= 12):
        return True
    return line.strip().startswith(("来源:", "来源 :", "发布时间", "作者:"))


def _date_in(line: str) -> datetime.date | None:
    m = _DATE_LINE.search(line)
    if not m:
        return None
    try:
        return datetime.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None


def clean_lines(text: str) -> tuple[str, str, datetime.date | None]:
    """(title, body, published) from normalised plain text with its furniture still in."""
    lines = [line.rstrip() for line in text.split("\n")]
    kept: list[str] = []
    title = ""
    published = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            if kept and kept[-1] != "":
                kept.append("")
            continue
        if _TRAILING_BLOCK.match(stripped):
            break
        if _FURNITURE_LINE.match(stripped):
            continue
        if _is_meta_line(stripped) and index < 12 and published is None:
            published = _date_in(stripped)
            continue
        if not title and not kept and len(stripped) <= 60 and not stripped.endswith(("。", ".")):
            # the first short line that does not end a sentence is the headline
            title = stripped
            continue
        line = _INLINE_EDITOR.sub("", line)
        if line.strip():
            kept.append(line.strip())
    while kept and kept[-1] == "":
        kept.pop()
    return title, "\n".join(kept), published


# --------------------------------------------------------------------------------------------
# file formats


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace")


_HTML_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "button")
_HTML_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
                "blockquote", "dd", "dt", "table", "ul", "ol", "pre"}
_FURNITURE_CLASS = re.compile(
    r"share|social|editor|related|recommend|breadcrumb|comment|footer|header|nav|sidebar|bshare|jiathis|"
    r"print|copyright|tool|qrcode|ad-|advert", re.I
)


def _html_to_text(markup: str) -> tuple[str, str, datetime.date | None]:
    import lxml.html

    if not markup.strip():
        return "", "", None
    root = lxml.html.fromstring(markup)
    title = ""
    published = None
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key in ("article:published_time", "pubdate", "publishdate", "og:release_date", "date") and not published:
            published = _date_in(normalise(meta.get("content") or ""))
        if key in ("og:title", "articletitle") and not title:
            title = normalise(meta.get("content") or "").strip()
    for element in list(root.iter(*_HTML_DROP)):
        element.drop_tree()
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        marker = f"{element.get('class') or ''} {element.get('id') or ''}"
        if marker.strip() and _FURNITURE_CLASS.search(marker) and element.tag not in ("html", "body"):
            element.drop_tree()
    heading = root.find(".//h1")
    if heading is not None:
        text = normalise(heading.text_content()).strip()
        if text:
            title = text
            heading.drop_tree()
    if not title:
        node = root.find(".//title")
        if node is not None:
            title = re.split(r"\s*[-_|]\s*", normalise(node.text_content()).strip())[0]
    for node in list(root.iter("title")):
        node.drop_tree()
    parts: list[str] = []

    def walk(element):
        if not isinstance(element.tag, str):
            if element.tail:
                parts.append(element.tail)
            return
        block = element.tag in _HTML_BLOCKS
        if block:
            parts.append("\n")
        if element.text:
            parts.append(element.text)
        for child in element:
            walk(child)
        if block:
            parts.append("\n")
        if element.tail:
            parts.append(element.tail)

    body = root.find(".//body")
    walk(body if body is not None else root)
    text = normalise("".join(parts))
    text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    inner_title, body_text, inner_date = clean_lines(text)
    if title and inner_title and inner_title != title:
        # the first short line was not the headline (the <h1> was): put it back
        body_text = inner_title + "\n" + body_text if not _is_meta_line(inner_title) else body_text
    return title or inner_title, body_text, published or inner_date


def _docx_to_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _looks_html(text: str, filename: str) -> bool:
    if filename.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text[:500].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in text[:5000].lower() and "</p>" in text.lower())


def read_article(data: bytes | str, *, filename: str = "") -> tuple[str, str, datetime.date | None]:
    """(title, clean text, published date if the article states one) from a .txt (UTF-8, GBK/GB18030),
    .html or .docx file's content, or from pasted text."""
    name = filename.lower()
    if isinstance(data, bytes):
        if name.endswith(".docx") or data[:2] == b"PK":
            return clean_lines(normalise(_docx_to_text(data)))
        text = _decode(data)
    else:
        text = data
    if _looks_html(text, name):
        return _html_to_text(text)
    return clean_lines(normalise(text))

"""Events: a sentence that says an event took place (…活动在北京举办, 签约仪式举行, …推介会召开), with its
date (in that sentence, else the closest one before it in the paragraph, else the article's), its place
(在X举办) and the totals stated for it (the first pair in the sentence or the two after it)."""

from __future__ import annotations

import re

from .types import DateMention, EventMention, Pair, Span

_EVENT_NOUN = (
    r"(?:签约仪式|签约大会|签约活动|集中签约活动|推介会|推介活动|招商会|招商大会|对接会|对接活动|洽谈会|恳谈会|"
    r"座谈会|交流会|博览会|投资贸易洽谈会|展览会|交易会|论坛|峰会|大会|发布会|签约会|活动|考察活动)"
)
_HELD = re.compile(
    r"(?P<name>[\u4e00-\u9fffA-Za-z0-9“”\"《》()·—\-]{2,40}?" + _EVENT_NOUN + r"[”\"》]?)"
    r"(?:[^,。;]{0,4}?)(?:(?:于|在)?\d{1,2}月\d{1,2}日(?:上午|下午|晚上|晚)?)?(?:在|于)(?P<place>[\u4e00-\u9fff]{2,12}?)(?:隆重|正式|成功|顺利)?(?:举办|举行|召开|开幕|启幕|落幕)"
    r"|(?P<name2>[\u4e00-\u9fffA-Za-z0-9“”\"《》()·—\-]{2,40}?" + _EVENT_NOUN + r"[”\"》]?)"
    r"(?:[^,。;]{0,4}?)(?:隆重|正式|成功|顺利)?(?:举办|举行|召开|开幕|启幕)"
    r"|(?:在|于)(?P<place3>[\u4e00-\u9fff]{2,12}?)(?:隆重|正式|成功|顺利)?(?:举办|举行|召开)(?:了)?"
    r"(?P<name3>[\u4e00-\u9fffA-Za-z0-9“”\"《》()·—\-]{2,40}?" + _EVENT_NOUN + r"[”\"》]?)"
    r"|(?:举行|举办|召开)(?:了)?(?P<name4>[\u4e00-\u9fffA-Za-z0-9“”\"《》()·—\-]{2,40}?" + _EVENT_NOUN + r"[”\"》]?)"
    r"(?![\u4e00-\u9fff]{0,6}(?:在|于)[\u4e00-\u9fff]{2,12}?(?:举行|举办|召开))"
)
_NAME_LEAD = re.compile(r"^(?:.*?(?:日|月|上午|下午|晚上|当天|近日|日前|今天|昨天|期间|,))?")
_KINDS = (("signing", re.compile(r"签约|签署|签订")), ("promotion", re.compile(r"推介|招商|对接|洽谈|恳谈|博览|交易会|展")),
          ("visit", re.compile(r"考察|走访|拜访|调研")), ("meeting", re.compile(r".")))
_SENTENCE_END = re.compile(r"[。!?\n]")
_SENTENCE = re.compile(r"[^。!?\n]+")
_HELD_VERB = re.compile(r"举办|举行|召开|开幕|启幕|落幕")


# "也在本月相继举行了项目签约活动": events told of in passing, several at once, none named
_SEVERAL = re.compile(r"相继|先后|陆续|分别|多次|纷纷")


def sentence_floor(text: str, pos: int) -> int:
    return max(text.rfind(c, 0, pos) for c in "。!?\n") + 1


def _clean_name(name: str) -> str:
    name = _NAME_LEAD.sub("", name, count=1) if re.search(r"日|月|上午|下午|当天|近日|日前", name) else name
    for lead in ("由", "在", "的", "以", "举办", "举行", "召开", "参加", "出席", "此次", "本次", "这次"):
        if name.startswith(lead) and len(name) > len(lead) + 2:
            name = name[len(lead) :]
    return name.strip("“”\"《》")


def find_events(text: str, dates: list[DateMention], pairs: list[Pair], published) -> list[EventMention]:
    events: list[EventMention] = []
    matches = []
    for sentence in _SENTENCE.finditer(text):
        # the pattern backtracks: run it only on the few sentences that can hold an event
        if _HELD_VERB.search(sentence.group()):
            matches.extend(_HELD.finditer(text, sentence.start(), sentence.end()))
    for match in matches:
        name = match["name"] or match["name2"] or match["name3"] or match["name4"]
        place = match["place"] or match["place3"] or ""
        name = _clean_name(name)
        if len(name) < 4 or name in ("活动", "大会") or re.search(r"等|各类|系列|一批|多场", name):
            continue  # "举办院士人才沙龙等各类活动20余场": a tally of activities, not one event
        group = next(g for g in ("name", "name2", "name3", "name4") if match[g])
        verb_zone = (max(sentence_floor(text, match.start()), match.start() - 8), match.end())
        if _SEVERAL.search(text[verb_zone[0] : match.start(group)] + text[match.end(group) : verb_zone[1]]):
            continue  # "也在本月相继举行了项目签约活动": several events told of in passing
        start, end = match.span()
        sentence_start = max(text.rfind(c, 0, start) for c in "。!?\n") + 1
        sentence_end_match = _SENTENCE_END.search(text, end)
        sentence_end = sentence_end_match.start() if sentence_end_match else len(text)
        paragraph_start = text.rfind("\n", 0, start) + 1
        # the date written closest before the event in its sentence ("…客户端10月15日讯 10月14日,…推介会
        # 在…举行": the 14th), else the first one after it in the sentence
        in_sentence = [d for d in dates if sentence_start <= d.span.start < sentence_end and d.precision == "day"]
        in_sentence = in_sentence or [d for d in dates if sentence_start <= d.span.start < sentence_end]
        before_event = [d for d in in_sentence if d.span.start < start + 2]
        date = None
        if before_event:
            date = before_event[-1].date
        elif in_sentence:
            date = in_sentence[0].date
        if date is None:
            before = [d for d in dates if paragraph_start <= d.span.start < start and d.precision == "day"]
            date = before[-1].date if before else published
        # the totals: in this sentence or the next two
        stop = sentence_end
        for _ in range(2):
            nxt = _SENTENCE_END.search(text, stop + 1)
            if nxt is None or text[stop : stop + 1] == "\n":
                stop = len(text) if nxt is None and text[stop : stop + 1] != "\n" else stop
                break
            stop = nxt.start()
        in_scope = [p for p in pairs if sentence_start <= p.span.start < stop]
        pair = next((p for p in in_scope if not p.region), in_scope[0] if in_scope else None)
        scope = text[sentence_start:stop]
        kind = next(k for k, pattern in _KINDS if pattern.search(name) or (k == "signing" and pattern.search(scope)))
        events.append(EventMention(
            kind=kind, name=name, date=date, place=place,
            count=pair.count if pair else None, value=pair.value if pair else None,
            currency=pair.currency if pair else "", span=Span(start, end),
        ))
    # one event told twice (举办 … 隆重举行) is one event
    unique: list[EventMention] = []
    for event in events:
        if not any(e.name == event.name and e.date == event.date for e in unique):
            unique.append(event)
    return unique

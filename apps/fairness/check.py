"""Reads a text (an offer's terms, a policy, a draft agreement) for terms the 公平竞争审查条例 asks a person
to look at twice. Pure: no database, no Django; rules.json holds the terms, this module only applies them.

A finding is a prompt for review, never a verdict: the caller stores it as a flag or shows it, and never
refuses a save because of it.

How a match becomes a finding:
- the text is folded (full-width → half-width, traditional → simplified) so "稅收返還" and "税收返还" read
  alike; offsets are mapped back so the finding points into the text the person typed;
- some rules only apply when the sentence names a particular firm (乙方, 该企业, "…有限公司"): 即征即退
  or a fee waiver in a general policy for every qualifying firm is not selective;
- a rule marked fallback (a plain "给予乙方…补贴") fires only in a sentence no other rule flagged;
- a match is dropped when its clause restates a national, uniform policy ("依法享受国家统一的税收优惠政策",
  "按国家规定") or negates it ("不得给予…税收返还") — looked for in the clause, not the whole sentence,
  because "除依法享受国家统一政策外，另按…返还" is exactly the case to flag.
"""

import functools
import json
import re
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

RULES_PATH = Path(__file__).with_name("rules.json")
SENTENCE_END = "。！？!?；;\n"
CLAUSE_END = SENTENCE_END + "，,：:"
NEGATION_WINDOW = 12


@dataclass(frozen=True)
class Finding:
    rule_id: str
    name: str
    matched: str
    start: int
    end: int
    sentence: str
    sentence_start: int
    article: str
    explanation: str
    severity: str

    @property
    def offset_in_sentence(self) -> int:
        return self.start - self.sentence_start

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    patterns: tuple
    context: tuple
    exempt: tuple
    article: str
    explanation: str
    severity: str
    fallback: bool = False


@dataclass(frozen=True)
class RuleSet:
    source: dict
    rules: tuple
    negation: re.Pattern
    exempt_all: tuple


def _expand(pattern: str, macros: dict) -> str:
    # str.format would trip over regex braces such as {0,12}; macros are plain {NAME} tokens.
    for name, value in macros.items():
        pattern = pattern.replace("{" + name + "}", value)
    return pattern


@functools.cache
def ruleset() -> RuleSet:
    data = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    macros = data.get("macros", {})

    def compile_all(patterns) -> tuple:
        return tuple(re.compile(_expand(p, macros)) for p in patterns)

    rules = tuple(
        Rule(
            id=item["id"], name=item["name"], patterns=compile_all(item["patterns"]),
            context=compile_all(item.get("context", [])), exempt=compile_all(item.get("exempt", [])),
            article=item["article"], explanation=item["explanation"], severity=item["severity"],
            fallback=bool(item.get("fallback")),
        )
        for item in data["rules"]
    )
    # A fallback rule (a plain "给予乙方…补贴") speaks only for sentences no specific rule explained.
    rules = tuple(rule for rule in rules if not rule.fallback) + tuple(rule for rule in rules if rule.fallback)
    negation = re.compile("|".join(re.escape(word) for word in data.get("negations", [])) or r"(?!)")
    return RuleSet(source=data.get("source", {}), rules=rules, negation=negation,
                   exempt_all=compile_all(data.get("exempt_all", [])))


@functools.cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=4096)
def _nfkc(char: str) -> str:
    return unicodedata.normalize("NFKC", char)


def fold(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original character it came from."""
    if unicodedata.is_normalized("NFKC", text):
        folded, origin = text, list(range(len(text)))
    else:
        chars: list[str] = []
        origin = []
        for index, char in enumerate(text):
            folded = _nfkc(char)
            chars.append(folded)
            origin.extend([index] * len(folded))
        folded = "".join(chars)
    converted = _t2s().convert(folded)
    # t2s is nearly always one character for one; where a phrase conversion changes the length the offsets
    # would drift, so keep the unconverted text rather than point at the wrong words.
    if len(converted) == len(folded):
        folded = converted
    origin.append(len(text))
    return folded, origin


def _bounds(text: str, start: int, end: int, stops: str) -> tuple[int, int]:
    left = start
    while left > 0 and text[left - 1] not in stops:
        left -= 1
    right = end
    while right < len(text) and text[right] not in stops:
        right += 1
    return left, right


def _is_negated(clause_before: str, rules: RuleSet) -> bool:
    return bool(rules.negation.search(clause_before[-NEGATION_WINDOW:]))


def check_text(text: str) -> list[Finding]:
    """Findings in text order. At most one finding per sentence and article item, and a span claimed by an
    earlier rule in rules.json (the more specific one) is not reported again by a later one."""
    if not text or not text.strip():
        return []
    rules = ruleset()
    folded, origin = fold(text)
    found: list[tuple[int, int, int, Rule]] = []  # (start, end, sentence_start, rule) in folded offsets
    # Per sentence: the spans already claimed and the article items already reported — one finding per
    # sentence and item, since "按地方留成部分给予奖励" is one problem, not two.
    by_sentence: dict[int, list[tuple[int, int, str]]] = {}
    for rule in rules.rules:
        matches = sorted((m for pattern in rule.patterns for m in pattern.finditer(folded)),
                         key=lambda m: (m.start(), -m.end()))
        for match in matches:
            start, end = match.span()
            if start == end:
                continue
            s_start, s_end = _bounds(folded, start, end, SENTENCE_END)
            claimed = by_sentence.get(s_start, [])
            if (rule.fallback and claimed) or any(article == rule.article for _, _, article in claimed):
                continue
            sentence = folded[s_start:s_end]
            if rule.context and not any(p.search(sentence) for p in rule.context):
                continue
            c_start, c_end = _bounds(folded, start, end, CLAUSE_END)
            clause = folded[c_start:c_end]
            if _is_negated(folded[c_start:start], rules):
                continue
            if any(p.search(clause) for p in rule.exempt + rules.exempt_all):
                continue
            if any(start < other_end and other_start < end for other_start, other_end, _ in claimed):
                continue
            by_sentence.setdefault(s_start, []).append((start, end, rule.article))
            found.append((start, end, s_start, rule))
    findings = []
    for start, end, s_start, rule in sorted(found, key=lambda item: item[0]):
        o_start, o_end = origin[start], origin[end]
        o_s_start = origin[s_start]
        _, o_s_end = _bounds(text, o_start, o_end, SENTENCE_END + "。")
        if o_s_end < len(text) and not text[o_s_end].isspace():
            o_s_end += 1  # the sentence reads better with its full stop
        raw_sentence = text[o_s_start:o_s_end]
        lead = len(raw_sentence) - len(raw_sentence.lstrip())
        sentence = raw_sentence.strip()
        findings.append(Finding(
            rule_id=rule.id, name=rule.name, matched=text[o_start:o_end], start=o_start, end=o_end,
            sentence=sentence, sentence_start=o_s_start + lead, article=rule.article,
            explanation=rule.explanation, severity=rule.severity,
        ))
    return findings


def source() -> dict:
    return dict(ruleset().source)

"""Is this organisation already in the library? Candidates come from the search index (the credit
code, the whole name, the 字号 and its fragments); names.compare gives each a score and a verdict.

Used before an organisation is created (the form warns "可能已存在"), by the importer (bulk.py) and
before a project is registered (a district must not claim a duplicate record of a firm that another
district already holds)."""

from dataclasses import dataclass, field

from apps.core.codes import normalise_code
from apps.organisations import names
from apps.organisations.models import Organisation
from apps.organisations.search import Filters, search_ids

VERDICT_ORDER = {"same": 0, "likely": 1, "different": 2}
VERDICT_LABELS = {"same": "同一主体", "likely": "可能相同", "different": "不同主体"}


@dataclass
class Candidate:
    organisation: Organisation
    score: float
    verdict: str
    reason: str

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]


@dataclass
class MatchResult:
    name: str
    parts: names.NameParts
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return self.candidates[0].verdict if self.candidates else "different"

    @property
    def worth_showing(self) -> list[Candidate]:
        return [c for c in self.candidates if c.verdict != "different"]


def _candidate_ids(name: str, parts: names.NameParts, code: str, limit: int) -> list[int]:
    ids: list[int] = []
    if code:
        ids += list(Organisation.objects.filter(credit_code=code).values_list("pk", flat=True))
    filters = Filters(include_archived=True)
    # The whole name and a branch's parent: exact or prefix hits only (as a fragment a whole name
    # finds nothing more, at the price of reading a long posting list). The 字号: anything with it.
    ids += [h.organisation_id for h in search_ids(name, limit=limit, filters=filters, fragments=False)]
    if parts.parent_name:
        ids += [h.organisation_id for h in search_ids(parts.parent_name, limit=limit, filters=filters,
                                                      fragments=False)]
    if parts.trade_name and len(parts.trade_name) >= 2:
        ids += [h.organisation_id for h in search_ids(parts.trade_name, limit=limit, filters=filters)]
    return list(dict.fromkeys(ids))


def match_organisation(name: str, *, credit_code: str = "", limit: int = 10,
                       exclude_id: int | None = None) -> MatchResult:
    """Ranked candidates for a name (and optional credit code), best first."""
    text = (name or "").strip()
    code = normalise_code(credit_code or "")
    parts = names.parse_name(text)
    result = MatchResult(name=text, parts=parts)
    if len(names.search_form(text)) < 2 and not code:
        return result
    ids = [pk for pk in _candidate_ids(text, parts, code, limit=30) if pk != exclude_id]
    orgs = Organisation.objects.filter(pk__in=ids).prefetch_related("aliases")
    candidates = []
    for org in orgs:
        best = None
        for other in [org.name, *(a.name for a in org.aliases.all())]:
            outcome = names.compare(text, other, code_a=code or None, code_b=org.credit_code)
            if best is None or (VERDICT_ORDER[outcome.verdict], -outcome.score) < (
                    VERDICT_ORDER[best.verdict], -best.score):
                best = outcome
        candidates.append(Candidate(org, best.score, best.verdict, best.reason))
    candidates.sort(key=lambda c: (VERDICT_ORDER[c.verdict], -c.score, c.organisation.pk))
    result.candidates = candidates[:limit]
    return result


def same_organisation_ids(organisation: Organisation) -> list[int]:
    """Other records the matcher judges to be the same organisation (duplicates not yet merged)."""
    result = match_organisation(organisation.name, credit_code=organisation.credit_code or "",
                                exclude_id=organisation.pk)
    return [c.organisation.pk for c in result.candidates if c.verdict == "same" and not c.organisation.merged_into_id]

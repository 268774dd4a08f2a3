"""Matching the provider a document names to the portal's providers, with a score.

In order: the abbreviation or the full name exactly ("TfC", "Together for Children"; case, "&" and
punctuation aside) scores 1; a name or abbreviation written inside longer text ("Together for
Children Adviser", "RTPC (Jane Smith)") scores 0.9 when it points to one provider; otherwise the
nearest spelling of a name (difflib's ratio, "Natonal Strategies" → National Strategies 0.97) is
taken when it is close (0.85 or more) and clearly ahead of the next. Anything else — no provider
named, two providers named, nothing close — is left for the person importing to choose, with the
closest providers offered first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

EXACT, CONTAINED, NEAR = "exact", "contained", "near"
AMBIGUOUS, UNMATCHED, EMPTY = "ambiguous", "unmatched", "empty"
#: statuses where a provider is taken without asking (a near match is shown for checking)
DECIDED = (EXACT, CONTAINED, NEAR)

NEAR_ENOUGH = 0.85
CLEAR_LEAD = 0.05
WORTH_OFFERING = 0.5
#: words that describe the person rather than the organisation ("Together for Children Adviser")
ROLE_WORDS = {"adviser", "advisers", "advisor", "advisors", "team", "officer", "consultant", "consultants", "staff"}


@dataclass(frozen=True)
class ProviderRef:
    id: int
    name: str
    abbreviation: str


@dataclass
class Candidate:
    id: int
    name: str
    abbreviation: str
    score: float


@dataclass
class Match:
    status: str
    provider: Candidate | None = None
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def decided(self):
        return self.status in DECIDED and self.provider is not None


def normalise(text):
    text = (text or "").casefold().replace("’", "").replace("'", "").replace("&", " and ")
    text = " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())
    return text[4:] if text.startswith("the ") else text


def _candidate(ref, score):
    return Candidate(id=ref.id, name=ref.name, abbreviation=ref.abbreviation, score=round(score, 2))


class ProviderMatcher:
    def __init__(self, providers):
        self.providers = [p if isinstance(p, ProviderRef) else ProviderRef(*p) for p in providers]
        self.by_key = {}
        for ref in self.providers:
            self.by_key.setdefault(normalise(ref.name), ref)
        for ref in self.providers:
            self.by_key.setdefault(normalise(ref.abbreviation), ref)
        self._cache = {}

    def match(self, text):
        text = " ".join((text or "").split())
        if text not in self._cache:
            self._cache[text] = self._match(text)
        return self._cache[text]

    def _match(self, text):
        key = normalise(text)
        if not key:
            return Match(EMPTY)
        # 1. exactly a name or an abbreviation, with or without what is in brackets
        outside = normalise(re.sub(r"\([^)]*\)", " ", text))
        inside = [normalise(m) for m in re.findall(r"\(([^)]*)\)", text)]
        attempts = [a for a in (key, outside, *inside) if a]
        for attempt in attempts:
            if attempt in self.by_key:
                return Match(EXACT, _candidate(self.by_key[attempt], 1.0))
        for attempt in attempts:  # a plural written singular: "RIEP" for RIEPs, "GO" for GOs
            if f"{attempt}s" in self.by_key:
                return Match(CONTAINED, _candidate(self.by_key[f"{attempt}s"], 0.95))
        # 2. a name or an abbreviation written inside longer text
        contained = self._contained(text, key)
        if len(contained) == 1:
            return Match(CONTAINED, _candidate(contained[0], 0.9))
        if len(contained) > 1:
            return Match(AMBIGUOUS, candidates=[_candidate(ref, 0.9) for ref in contained])
        # 3. the nearest spelling
        score = self._scorer(key)
        scored = sorted(((score(ref), ref) for ref in self.providers), key=lambda s: (-s[0], s[1].name))
        offered = [_candidate(ref, score) for score, ref in scored[:5] if score >= WORTH_OFFERING]
        if scored and scored[0][0] >= NEAR_ENOUGH:
            runner_up = scored[1][0] if len(scored) > 1 else 0
            if scored[0][0] - runner_up >= CLEAR_LEAD:
                return Match(NEAR, _candidate(scored[0][1], scored[0][0]), offered)
            return Match(AMBIGUOUS, candidates=offered)
        return Match(UNMATCHED, candidates=offered)

    def _contained(self, text, key):
        padded = f" {key} "
        tokens = set(re.findall(r"[A-Za-z0-9]+", text))
        found = []
        for ref in self.providers:
            name = normalise(ref.name)
            in_name = len(name) > 3 and f" {name} " in padded
            # an abbreviation counts as a word written with a capital (not "ns" in running text)
            abbreviation = ref.abbreviation
            in_abbr = any(t.casefold() == abbreviation.casefold() and t != t.lower() for t in tokens)
            if in_name or in_abbr:
                found.append(ref)
        # a longer name that contains a shorter one found with it wins ("Together for Disabled Children")
        names = {ref: normalise(ref.name) for ref in found}
        return [
            ref
            for ref in found
            if not any(other is not ref and f" {names[ref]} " in f" {names[other]} " for other in found)
        ]

    def _scorer(self, key):
        """How near ``key`` is to each provider's name (or, for a short text, its abbreviation)."""
        trimmed = " ".join(w for w in key.split() if w not in ROLE_WORDS) or key

        def best(ref):
            name = normalise(ref.name)
            score = max(SequenceMatcher(None, key, name).ratio(), SequenceMatcher(None, trimmed, name).ratio())
            abbreviation = normalise(ref.abbreviation)
            if len(key) <= 8 and len(abbreviation) >= 3:
                score = max(score, SequenceMatcher(None, key, abbreviation).ratio() * 0.9)
            return score

        return best

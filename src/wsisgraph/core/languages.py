"""The six UN languages: which tags the graph uses, how a language option is checked, and how
free text is folded so that search ignores case and accents in every script that has them.

English is the language of the sources (the 2023 framework, the report), so it is the fallback:
a label missing in the asked language is shown in English and marked as such.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence

from pyoxigraph import Literal

from wsisgraph.core.errors import WsisgraphError

# The six official languages of the UN, as BCP 47 tags (Chinese in simplified script).
UN_LANGUAGES = ("ar", "zh-Hans", "en", "fr", "ru", "es")
FALLBACK = "en"
RIGHT_TO_LEFT = {"ar"}
NAMES = {"ar": "العربية", "zh-Hans": "中文", "en": "English", "fr": "Français", "ru": "Русский", "es": "Español"}

# Well-formed BCP 47 (RFC 5646 section 2.1) language tags, grandfathered tags aside: language,
# script, region, variants, extensions, private use; matched without regard to case. The shapes
# use the same pattern (ontology/shapes.ttl, wsish:LanguageTag).
BCP47 = re.compile(
    r"^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*(?:-x(?:-[a-z0-9]{1,8})+)?"
    r"|x(?:-[a-z0-9]{1,8})+)$",
    re.IGNORECASE,
)


def check_tag(tag: str) -> str:
    """The tag as given when it is well-formed BCP 47, else a one-line error."""
    if not BCP47.match(tag):
        raise WsisgraphError(f"{tag!r} is not a BCP 47 language tag (e.g. {', '.join(UN_LANGUAGES)})")
    return tag


def direction(tag: str) -> str:
    """`rtl` for right-to-left languages (Arabic), else `ltr`: the HTML dir attribute."""
    return "rtl" if tag.split("-")[0].lower() in RIGHT_TO_LEFT else "ltr"


def matches(tag: str | None, asked: str) -> bool:
    """SPARQL langMatches: the literal's tag is the asked range or a sub-tag of it (fr matches fr-CA)."""
    tag, asked = (tag or "").lower(), asked.lower()
    return bool(tag) and (tag == asked or tag.startswith(asked + "-"))


def best_label(candidates: Iterable[tuple[str, Literal]], asked: str, order: Sequence[str]) -> Literal | None:
    """The one label to show for a node, from its (property IRI, literal) pairs: in the asked language
    if it has one, else in English or untagged (the fallback), else in any language; within that,
    the first property of `order`; among equals, the first candidate. The report pages and the
    validation messages both choose this way, so a node reads the same in each."""
    def rank(candidate: tuple[int, tuple[str, Literal]]) -> tuple[int, int, int]:
        position, (prop, label) = candidate
        tier = 0 if matches(label.language, asked) else 1 if not label.language or matches(label.language, FALLBACK) \
            else 2
        return tier, order.index(prop), position

    eligible = [(i, c) for i, c in enumerate(candidates) if c[0] in order]
    return min(eligible, key=rank)[1][1] if eligible else None


TATWEEL = "\u0640"  # Arabic elongation: typographic, not a letter (الاتصــالات is الاتصالات)


def fold(text: str) -> str:
    """Case- and accent-free form: NFKD, combining marks and tatweel dropped, lower case (É → e,
    Ё → е, أ → ا). queries/search.rq folds the graph's texts the same way in SPARQL (LCASE and a
    chain of REPLACE), so a search for the folded words finds them."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c != TATWEEL).lower()

"""Interface text in the six UN languages: the words the picture and the site put around the
graph's own labels. The graph's labels come from their sources; these phrases are the project's
own, kept as data in messages.yaml (translators edit that file, not code), and a phrase missing
in a language falls back to English."""

from functools import cache
from pathlib import Path

import yaml

from wsisgraph.core.languages import FALLBACK

MESSAGES_FILE = Path(__file__).with_name("messages.yaml")


@cache
def messages() -> dict[str, dict[str, str]]:
    """Language tag (lower case) -> key -> phrase."""
    with MESSAGES_FILE.open(encoding="utf-8") as handle:
        return {tag.lower(): phrases for tag, phrases in yaml.safe_load(handle).items()}


def text(lang: str, key: str, **values: str | int) -> str:
    """The phrase in the language (its primary tag decides: fr-CA reads French), else in English."""
    by_lang = messages()
    phrases = by_lang.get(lang.lower()) or by_lang.get(lang.split("-")[0].lower()) or by_lang[FALLBACK]
    return phrases.get(key, by_lang[FALLBACK][key]).format(**values)

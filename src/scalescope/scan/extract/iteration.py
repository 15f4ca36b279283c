"""Language-neutral words for what a loop iterates, shared by ``js/loops.py`` and
``py/loops.py``: what a regex over one string yields, and what a parser function returns."""

from __future__ import annotations

import re

# what a pattern matches, by a token it contains -> the items, in words
_PATTERN_ITEMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"@"), "the @mentions matched in one string"),
    (re.compile(r"https?|://|www\\?\."), "the links matched in one string"),
    (re.compile(r"#"), "the #hashtags matched in one string"),
)
# a parser named for what it extracts: ``extractMentions(text)``, ``parse_links(body)``
PARSER_NAME = re.compile(
    r"^(?:extract|parse|find|get|collect|match|detect|scan)_?\w*?"
    r"(mention|link|url|hashtag|tag|email|emoji|token|word|handle|reference)s$",
    re.IGNORECASE,
)
_NOUNS = {
    "mention": "mentions",
    "link": "links",
    "url": "links",
    "hashtag": "hashtags",
    "tag": "tags",
    "email": "e-mail addresses",
    "emoji": "emojis",
    "token": "tokens",
    "word": "words",
    "handle": "handles",
    "reference": "references",
}


def pattern_items(pattern_source: str) -> str:
    """``/@(\\w+)/g`` -> "the @mentions matched in one string"."""
    for token, words in _PATTERN_ITEMS:
        if token.search(pattern_source):
            return words
    return "the matches of a pattern in one string"


def parsed_items(function_name: str) -> str | None:
    """``extractMentions`` -> "the mentions parsed from one value (extractMentions)"; ``None``
    when the name does not say it parses items out of one value."""
    m = PARSER_NAME.match(function_name)
    if m is None:
        return None
    return f"the {_NOUNS[m.group(1).lower()]} parsed from one value ({function_name})"


def splits_lines(separator: str) -> bool:
    """A ``split`` separator that cuts a text into lines (``"\\n"``, ``/\\r?\\n/``, ``os.linesep``):
    its parts are the rows of a file or an upload, not a handful of tokens of one value."""
    return "\n" in separator or "\\n" in separator or "linesep" in separator or "EOL" in separator

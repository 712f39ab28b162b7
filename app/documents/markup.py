"""Markdown, rendered and sanitised on the server.

Whatever is typed, the HTML that reaches a page, a print or an export holds
only these tags and attributes, and links only to the web or to e-mail:
script, event handlers and ``javascript:`` links are removed (nh3, a binding
to the Ammonia sanitiser).
"""

from __future__ import annotations

from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

TAGS = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def render(text: str | None) -> Markup:
    """Safe HTML for a section's Markdown. Headings start at level 2: the
    section title is the page's own heading."""
    text = text or ""
    html = _cached(text) if len(text) <= CACHED_TEXT else _clean(text)
    return Markup(html)  # noqa: S704 - sanitised by _clean


def says_nothing(text: str | None) -> bool:
    """Whether a text shows nothing once rendered and sanitised (empty, or
    only markup the sanitiser removes)."""
    return not str(render(text)).strip()


# Most texts shown are those of versions that no longer change: render each
# once per process. Long texts are rendered each time, so that the cache
# stays small (1,024 texts of 20,000 characters at the most).
CACHED_TEXT = 20_000


@lru_cache(maxsize=1024)
def _cached(text: str) -> str:
    return _clean(text)


def _clean(text: str) -> str:
    html = markdown.markdown(text, extensions=["sane_lists", "tables"])
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )

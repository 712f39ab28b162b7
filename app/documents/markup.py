"""Markdown, rendered and sanitised on the server.

Whatever is typed, the HTML that reaches a page, a print or an export holds
only these tags and attributes, and links only to the web or to e-mail:
script, event handlers and ``javascript:`` links are removed (nh3, a binding
to the Ammonia sanitiser).
"""

from __future__ import annotations

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
    html = markdown.markdown(text or "", extensions=["sane_lists", "tables"])
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)  # noqa: S704 - sanitised just above

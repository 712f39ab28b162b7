"""A version as a printable page, a PDF (WeasyPrint) or a Word document
(python-docx), built in a background job from the same sanitised HTML."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

from flask import render_template
from flask_babel import gettext as _

from app.audit.services import record
from app.jobs.services import enqueue

PRINT_CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "print.css"
FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def start(family: str, version, file_format: str | None, user):
    file_format = file_format if file_format in FORMATS else "pdf"
    record("export.request", obj=version, summary=f"{family} v{version.number} ({file_format})")
    return enqueue(
        "documents.export",
        params={"family": family, "version_id": str(version.id), "file_format": file_format},
        by=user,
    )


def filename(context: dict, file_format: str) -> str:
    stem = re.sub(r"[^\w-]+", "-", str(context["title"])).strip("-").lower()[:80] or "document"
    return f"{stem}-v{context['version'].number}.{file_format}"


def to_pdf(context: dict) -> bytes:
    import weasyprint  # heavy, and only jobs need it

    html = render_template("documents/print.html", **context, standalone=False)
    return weasyprint.HTML(string=html).write_pdf(
        stylesheets=[weasyprint.CSS(filename=str(PRINT_CSS))]
    )


def to_docx(context: dict, progress=None) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = str(context["title"])
    document.add_heading(str(context["title"]), level=0)
    document.add_paragraph(_meta_line(context))
    area = None
    total = max(1, len(context["sections"]))
    for index, (section_area, title, html) in enumerate(context["sections"]):
        if section_area and section_area != area:
            area = section_area
            document.add_heading(str(area), level=1)
        document.add_heading(title, level=2 if section_area else 1)
        _DocxWriter(document).feed(str(html))
        if progress:
            progress(10 + 80 * (index + 1) // total)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _meta_line(context: dict) -> str:
    version = context["version"]
    line = _("Version %(number)d", number=version.number) + " · " + version.state_label
    if version.adopted_on:
        line += " · " + version.adopted_on.isoformat()
    if context.get("adoption_method"):
        line += " · " + context["adoption_method"].label
    if version.act_reference:
        line += " · " + version.act_reference
    return line


class _DocxWriter(HTMLParser):
    """Writes the sanitised HTML of a section (a small, known set of tags)
    as Word paragraphs and runs."""

    _STYLES = {"h2": "Heading 3", "h3": "Heading 4", "h4": "Heading 5", "blockquote": "Quote"}
    _BLOCKS = frozenset({"p", "li", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "ul", "ol"})

    def __init__(self, document):
        super().__init__(convert_charrefs=True)
        self.document = document
        self.paragraph = None
        self.lists: list[str] = []
        self.bold = self.italic = 0
        self.link: str | None = None
        self.quote = 0
        self.pre = False

    def _new(self, style: str | None = None):
        self.paragraph = self.document.add_paragraph(style=style)

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "li":
            self._new("List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet")
        elif tag in ("p", "pre", "tr"):
            self.pre = self.pre or tag == "pre"
            if not (tag == "p" and self.paragraph is not None and self.lists):
                self._new("Quote" if self.quote else None)
        elif tag in ("h2", "h3", "h4", "h5", "h6"):
            self._new(self._STYLES.get(tag, "Heading 5"))
        elif tag == "blockquote":
            self.quote += 1
        elif tag == "strong":
            self.bold += 1
        elif tag == "em":
            self.italic += 1
        elif tag == "a":
            self.link = dict(attrs).get("href")
        elif tag == "br" and self.paragraph is not None:
            self.paragraph.add_run().add_break()

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
        elif tag == "strong":
            self.bold = max(0, self.bold - 1)
        elif tag == "em":
            self.italic = max(0, self.italic - 1)
        elif tag == "a":
            if self.link and self.paragraph is not None:
                self.paragraph.add_run(f" ({self.link})")
            self.link = None
        elif tag in ("td", "th") and self.paragraph is not None:
            self.paragraph.add_run("\t")
        elif tag in self._BLOCKS:
            self.paragraph = None  # the white space between blocks is not text
        if tag == "pre":
            self.pre = False

    def handle_data(self, data):
        if not self.pre:
            # a line break inside a Markdown paragraph is a space
            data = data.replace("\n", " ")
        if not data.strip() and self.paragraph is None:
            return
        if self.paragraph is None:
            self._new()
        run = self.paragraph.add_run(data)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None

"""Readable differences between two versions of a document: word by word,
section by section, like tracked changes."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "removed" or "added"
    text: str


@dataclass
class SectionChange:
    kind: str  # "same", "changed", "added" or "removed"
    title: list[Piece] = field(default_factory=list)
    body: list[Piece] = field(default_factory=list)
    area_before: str | None = None
    area_after: str | None = None


def words(before: str, after: str) -> list[Piece]:
    """The pieces of ``after`` with what ``before`` had instead: whole words
    and runs of white space are compared, never parts of a word."""
    old, new = _TOKEN.findall(before or ""), _TOKEN.findall(after or "")
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", "".join(old[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(Piece("removed", "".join(old[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(Piece("added", "".join(new[j1:j2])))
    return pieces


def sections(before: list, after: list) -> list[SectionChange]:
    """Sections are matched by their ``key``, which a section keeps from one
    version to the next; the order is that of ``after``, with removed
    sections where they stood."""
    old_by_key = {section.key: section for section in before}
    new_keys = {section.key for section in after}
    changes: list[SectionChange] = []
    for section in after:
        old = old_by_key.get(section.key)
        if old is None:
            changes.append(
                SectionChange(
                    "added",
                    [Piece("added", section.title)],
                    [Piece("added", section.body)] if section.body else [],
                    area_after=getattr(section, "area", None),
                )
            )
            continue
        same = old.title == section.title and old.body == section.body
        same = same and getattr(old, "area", None) == getattr(section, "area", None)
        changes.append(
            SectionChange(
                "same" if same else "changed",
                words(old.title, section.title),
                words(old.body, section.body),
                area_before=getattr(old, "area", None),
                area_after=getattr(section, "area", None),
            )
        )
    # each removed section goes after the section that preceded it before
    # (the nearest one still there), or first
    position = {section.key: index for index, section in enumerate(after)}
    placed: dict[int, list[SectionChange]] = {}
    kept = None
    for section in before:
        if section.key in new_keys:
            kept = position[section.key]
            continue
        change = SectionChange(
            "removed",
            [Piece("removed", section.title)],
            [Piece("removed", section.body)] if section.body else [],
            area_before=getattr(section, "area", None),
        )
        placed.setdefault(-1 if kept is None else kept, []).append(change)
    ordered = placed.get(-1, [])
    for index, change in enumerate(changes):
        ordered.append(change)
        ordered.extend(placed.get(index, []))
    return ordered

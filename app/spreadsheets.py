"""What every file Concert writes for spreadsheet programs shares."""

from __future__ import annotations

_FORMULA_STARTS = ("=", "+", "-", "@")


def safe_cell(value) -> str:
    """A cell's text that a spreadsheet program will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in _FORMULA_STARTS else text


def unsafe_cell(text: str) -> str:
    """The text ``safe_cell`` protected, read back from an import."""
    if text[:1] == "'" and text[1:2] in _FORMULA_STARTS:
        return text[1:]
    return text

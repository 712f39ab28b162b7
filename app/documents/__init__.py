"""What a body's internal rules and a mechanism's joint charters share:
versions made of Markdown sections, their lifecycle, word-level
differences, and print and export."""

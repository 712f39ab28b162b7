"""A body's internal rules: its rulebook, version by version."""

"""A mechanism's joint charters, kept by the coordinator and adopted by each
body."""

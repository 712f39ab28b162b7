"""A mechanism's own settings, kept by its coordinating body's administrators."""

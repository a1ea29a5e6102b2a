"""Speed figures for `make bench`: each module here (not starting with _) defines figures(ctx)."""

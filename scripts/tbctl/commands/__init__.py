"""One module per command; the CLI discovers them. Keep imports here light."""

"""The choices of the debias methods, without importing them (the CLI lists them cheaply)."""

RECIPES = ("debiaswe", "responsibly")  # hard debias keep sets (rnncore.debias.hard)
DEFAULT_RECIPE = "debiaswe"
SCOPES = ("all", "target")  # words Double-Hard debias changes (rnncore.debias.double_hard)

"""``python -m rnncore``: the command-line interface."""

from rnncore.cli import main

if __name__ == "__main__":
    raise SystemExit(main())

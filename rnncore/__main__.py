"""``python -m rnncore``: the command-line interface."""

from rnncore.cli import main

raise SystemExit(main())

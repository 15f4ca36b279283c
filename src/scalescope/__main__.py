"""``python -m scalescope``: the same CLI as the ``scalescope`` command, with its exit status."""

from scalescope.cli import main

raise SystemExit(main())

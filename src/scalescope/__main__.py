"""``python -m scalescope``: the same CLI as the ``scalescope`` command."""

from scalescope.cli import main

main()

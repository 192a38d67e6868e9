"""``python -m simexit``: the same program as the ``simexit`` command."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())

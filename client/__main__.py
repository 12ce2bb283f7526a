"""`python -m client` is the same as the `hecha` command."""

from client.cli import main

raise SystemExit(main())

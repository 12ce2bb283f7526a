"""`python -m client` is the same as the `hecha` command."""

from client.cli import main

# Guarded: tools that import every module (tests/test_layers.py walks the package) must not
# start the desktop app, which is what `hecha` without a subcommand now does.
if __name__ == "__main__":
    raise SystemExit(main())

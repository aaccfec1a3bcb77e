"""Entry point for `python -m nightwatch`."""
import sys

from nightwatch.cli import main

sys.exit(main())

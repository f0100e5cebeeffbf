"""``python -m extractor``: the command line."""

import sys

from .outputs.cli import main

sys.exit(main())

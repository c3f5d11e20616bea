"""``python -m presspipe``: the same as the ``presspipe`` command."""

import sys

from presspipe.cli import main

sys.exit(main())

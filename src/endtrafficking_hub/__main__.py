"""``python -m endtrafficking_hub``: the hub's command line (see :mod:`.launcher`)."""

import sys

from .launcher import main

sys.exit(main())

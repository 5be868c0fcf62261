"""``python -m sqfw`` runs the command line."""

import sys

from sqfw.cli import main

sys.exit(main())

#!/usr/bin/env python3
"""Grade your answers: `python grade.py [SLUG ...]` (see `python grade.py --help`)."""

import sys

from mmgen.cli import main

if __name__ == "__main__":
    sys.exit(main())

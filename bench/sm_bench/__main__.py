"""python -m sm_bench (from bench/): the runner."""

import sys

from .runner import main

sys.exit(main())

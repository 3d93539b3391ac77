"""The benchmark's entry point (scripts/bench.sh, `make bench`): runs the
package bench/sm_bench (its runner: `python bench/run.py --help`)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sm_bench.runner import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())

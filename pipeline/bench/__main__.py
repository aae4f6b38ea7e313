"""`python -m pipeline.bench --articles N`: the benchmark without the main command line."""

import sys

from pipeline.bench.run import main

if __name__ == "__main__":  # worker processes may import this module; only the real run acts
    sys.exit(main())

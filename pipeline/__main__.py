"""`python -m pipeline ...`: the command line."""

import sys

from pipeline.cli import main

if __name__ == "__main__":  # worker processes may import this module; only the real run acts
    sys.exit(main())

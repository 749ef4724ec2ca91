"""A step runner that fails one chosen step, for the tests of failed builds.

    make report RUN=".venv/bin/python -m tests.e2e.fault" NKB_FAULT="analysis.charts timeline"

Every step runs as usual (through analysis.runner); the step whose command starts with
NKB_FAULT runs too, writes what it writes, and then fails, as a step that crashes at its very
end would. Nothing in the product changes and no prerequisite is touched, so Make decides what
to build exactly as it would without the fault.
"""

from __future__ import annotations

import os
import sys

from analysis import runner

RUN = ".venv/bin/python -m tests.e2e.fault"


def main() -> int:
    argv = sys.argv[1:]
    code = runner.run_client(argv)
    fault = os.environ.get("NKB_FAULT", "")
    if code == 0 and fault and " ".join(argv).startswith(fault):
        print(f"error: injected fault at the end of step {' '.join(argv)}", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())

"""casereview: read children's social care case files faster and more consistently."""

import os

__version__ = "0.1.0"

if os.name != "posix":  # file locks (fcntl), owner-only modes and forked workers: say so, not a missing module
    raise ImportError("casereview runs on Linux and macOS; on Windows, run it inside WSL")

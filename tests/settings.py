"""The test suite runs the real settings in test mode."""

import os

os.environ.setdefault("ALONGSIDE_ENV", "test")

from alongside.settings import *  # noqa: F403

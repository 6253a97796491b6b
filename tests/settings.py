"""The test suite runs the real settings in test mode, plus a test-only app."""

import os

os.environ.setdefault("ALONGSIDE_ENV", "test")

from alongside.settings import *  # noqa: F403
from alongside.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]

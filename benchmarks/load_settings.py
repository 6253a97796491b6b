"""Settings for the load benchmark (benchmarks/load.py): the project's own, served as in production.

The benchmark databases are seeded in development mode (their encrypted fields use the
development key), so this module starts from whatever ALONGSIDE_ENV gives and switches off what
development adds: debug pages and query logging, the demo accounts' exemption from two-factor
authentication, and static files looked up on every request. Middleware, templates, sessions and
the database settings stay exactly as the project has them. Only the URLs differ: the project's,
plus one trivial page to compare against (benchmarks/load_urls.py).
"""

from alongside.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.load_urls"
DEBUG = False
IS_DEVELOPMENT = False
WHITENOISE_AUTOREFRESH = False
WHITENOISE_USE_FINDERS = False

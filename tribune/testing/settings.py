"""Settings for the test suite: the real settings with TRIBUNE_ENV=test.

Tests keep their data in a throwaway folder; DATABASE_URL and REDIS_URL, when set, point
the same suite at PostgreSQL and Redis.
"""

import os
import tempfile

os.environ["TRIBUNE_ENV"] = "test"
os.environ.setdefault("TRIBUNE_DATA_DIR", tempfile.mkdtemp(prefix="tribune-test-"))

from tribune.settings import *  # noqa: F403

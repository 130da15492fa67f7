"""Print the environment that points the test suite at PostgreSQL and Redis, if reachable.

`make test` runs the suite a second time with it; nothing is printed when neither answers.
"""

import socket

POSTGRES = ("127.0.0.1", 5432, "DATABASE_URL=postgres://postgres@127.0.0.1:5432/tribune")
REDIS = ("127.0.0.1", 6379, "REDIS_URL=redis://127.0.0.1:6379/15")


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


if __name__ == "__main__":
    print(" ".join(env for host, port, env in (POSTGRES, REDIS) if reachable(host, port)))

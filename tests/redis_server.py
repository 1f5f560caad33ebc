"""A redis-server of the test's own on a free port, to stop and start again at will.

with RedisServer() as redis:
    redis.url       # redis://127.0.0.1:<port>/0
    redis.stop()    # as a restart does: what it held is gone (it keeps nothing on disk)
    redis.start()   # on the same port
"""

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import redis as redis_py

from tests.edge.servers import Server, free_port, stop_process_group


def redis_server_path():
    return shutil.which("redis-server")


class RedisServer(Server):
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = Path(tempfile.mkdtemp(prefix="omni-redis-"))
        self.process = None

    def start(self, timeout=10):
        self.process = subprocess.Popen(
            [
                redis_server_path(),
                *("--port", str(self.port)),
                *("--bind", "127.0.0.1"),
                *("--dir", str(self.directory)),
                *("--save", ""),
                *("--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        client = redis_py.Redis.from_url(self.url)
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.ping()
                return self
            except redis_py.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self):
        stop_process_group(self.process)
        self.process = None

    def __exit__(self, *exc_info):
        super().__exit__(*exc_info)
        shutil.rmtree(self.directory, ignore_errors=True)

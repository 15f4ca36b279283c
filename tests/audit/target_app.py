"""A target of known capacity for audit tests: ``WORKERS`` requests are served at a time, each
taking ``SERVICE_S`` seconds, so the saturation throughput is WORKERS / SERVICE_S.

``INSTANCES=n`` (or a third argument n) serves with n processes sharing the listening socket
(pre-forked, each with its own ``WORKERS`` slots), as an ``--instances-cmd`` would: n instances
behind one URL.

Behaviours for failure tests (environment variables): ``DIE_AFTER=n`` exits with status 3
after n requests; ``IGNORE_TERM=1`` ignores SIGTERM; ``NEVER_HEALTHY=1`` answers 503 on
/health; ``FAIL_AT_START=1`` prints an error and exits 4 before listening.
"""

import http.server
import json
import os
import signal
import sys
import threading
import time

WORKERS = int(os.environ.get("WORKERS", "4"))
SERVICE_S = float(os.environ.get("SERVICE_S", "0.01"))
DIE_AFTER = int(os.environ.get("DIE_AFTER", "0"))
slots = threading.BoundedSemaphore(WORKERS)
served = [0]
lock = threading.Lock()

if os.environ.get("FAIL_AT_START"):
    print("fatal: DATABASE_URL is not set", flush=True)
    sys.exit(4)
if os.environ.get("IGNORE_TERM"):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.path == "/health":
            status = 503 if os.environ.get("NEVER_HEALTHY") else 200
            self._send(status, b'{"ok": true}')
            return
        with slots:
            time.sleep(SERVICE_S)
        with lock:
            served[0] += 1
            count = served[0]
        if DIE_AFTER and count >= DIE_AFTER:
            print(f"crash: out of memory after {count} requests", flush=True)
            os._exit(3)
        if self.path == "/items":
            self._send(200, json.dumps([{"id": 7, "name": "seven"}, {"id": 8, "name": "eight"}]).encode())
        elif self.path.startswith("/items/"):
            self._send(200, b'{"id": 7}')
        else:
            self._send(404, b"{}")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024


server = Server(("127.0.0.1", int(sys.argv[1])), Handler)
instances = int(sys.argv[3]) if len(sys.argv) > 3 else int(os.environ.get("INSTANCES", "1"))
for _ in range(instances - 1):
    if os.fork() == 0:
        break  # a child: serves the shared socket with its own slots
print("listening", flush=True)
server.serve_forever()

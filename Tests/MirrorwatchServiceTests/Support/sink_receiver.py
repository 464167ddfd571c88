"""A real HTTP and TCP receiver for the service's sink tests.

Usage: sink_receiver.py LOG FAIL_FIRST
Prints "HTTP_PORT TCP_PORT" once listening. Every HTTP POST after the first FAIL_FIRST ones (which
get 503, as from a sink that is down) is appended to LOG as one JSON line (path, headers, body);
every line received on TCP is appended to LOG.tcp. A POST to /redirect... is answered 302 (to
/redirected), one to /stall... gets its headers and then no body for a minute; a GET (what a client
following a redirect would send) is logged with "method": "GET".
"""
import http.server
import signal
import json
import socketserver
import sys
import threading
import time

# Spawned from a test thread that blocks SIGTERM: take it back so the default action (exit) applies.
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
log, fail_first = sys.argv[1], int(sys.argv[2])
lock = threading.Lock()
seen = {"posts": 0}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with lock, open(log, "a") as out:
            out.write(json.dumps({"path": self.path, "method": "GET", "headers": dict(self.headers), "body": ""}) + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "/redirected")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path.startswith("/stall"):
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.flush()
            time.sleep(60)
            return
        with lock:
            seen["posts"] += 1
            failing = seen["posts"] <= fail_first
            if not failing:
                with open(log, "a") as out:
                    out.write(json.dumps({"path": self.path, "headers": dict(self.headers), "body": body.decode()}) + "\n")
        if failing:
            self.send_response(503)
            self.end_headers()
            return
        reply = b'{"took":1,"errors":false,"items":[]}' if self.path.endswith("/_bulk") else b'{"text":"Success","code":0}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


class LineHandler(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            with lock, open(log + ".tcp", "a") as out:
                out.write(line.decode())


http_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
tcp_server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), LineHandler)
print(http_server.server_address[1], tcp_server.server_address[1], flush=True)
threading.Thread(target=tcp_server.serve_forever, daemon=True).start()
http_server.serve_forever()

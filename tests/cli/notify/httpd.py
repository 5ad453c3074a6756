#!/usr/bin/python3
"""httpd.py - a loopback webhook receiver for notify-test.sh.

Listens on 127.0.0.1 (PORT, or a free one; written to PORTFILE). Each POST
is answered according to the file DIR/mode: "ok" (default: 200, and the
request is saved as DIR/req-N.json with path, headers and body), "500"
(HTTP 500) or "hang" (no answer for 60 s). Every request, whatever the
mode, is counted in DIR/count.

usage: httpd.py DIR PORTFILE [PORT]
"""
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def do_POST(self):
        d = self.server.outdir
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        try:
            with open(os.path.join(d, "mode")) as f:
                mode = f.read().strip()
        except OSError:
            mode = "ok"
        cpath = os.path.join(d, "count")
        try:
            with open(cpath) as f:
                count = int(f.read() or 0)
        except OSError:
            count = 0
        with open(cpath, "w") as f:
            f.write(str(count + 1))
        if mode == "hang":
            time.sleep(60)
            return
        if mode == "500":
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"internal error")
            return
        self.server.saved += 1
        with open(os.path.join(d, "req-%d.json" % self.server.saved), "w") as f:
            json.dump({"path": self.path, "headers": dict(self.headers.items()),
                       "body": body.decode("utf-8", "replace")}, f, ensure_ascii=False)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok")


def main():
    outdir, portfile = sys.argv[1:3]
    port = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    srv.daemon_threads = True
    srv.outdir = outdir
    srv.saved = 0
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    srv.serve_forever()


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""smtpd.py - a loopback SMTP sink for notify-test.sh.

Listens on 127.0.0.1 (a free port, written to PORTFILE), offers STARTTLS with
the test's self-signed certificate and requires it before AUTH (LOGIN or
PLAIN, one user and password), and saves each message as N.eml with N.json
(envelope) in DIR.

usage: smtpd.py DIR PORTFILE CERT KEY USER PASSWORD
"""
import json
import os
import socket
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Sink:
    def __init__(self, outdir):
        self.outdir = outdir
        self.n = 0

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        base = os.path.join(self.outdir, "%d" % self.n)
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".json", "w") as f:
            json.dump({"from": envelope.mail_from, "rcpt": envelope.rcpt_tos,
                       "tls": session.ssl is not None,
                       "user": session.authenticated and USER}, f)
        return "250 OK saved"


def main():
    global USER
    outdir, portfile, cert, key, USER, password = sys.argv[1:7]
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)

    def auth(server, session, envelope, mechanism, data):
        ok = (data.login.decode() == USER and data.password.decode() == password)
        return AuthResult(success=ok, handled=False)

    port = free_port()
    ctl = Controller(Sink(outdir), hostname="127.0.0.1", port=port, tls_context=ctx,
                     require_starttls=True, authenticator=auth, auth_require_tls=True,
                     ready_timeout=10)
    ctl.start()
    with open(portfile + ".tmp", "w") as f:
        f.write(str(port))
    os.rename(portfile + ".tmp", portfile)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        ctl.stop()


if __name__ == "__main__":
    main()

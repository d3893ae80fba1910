"""A real SMTP server on loopback for the delivery tests (Debian's
python3-aiosmtpd). Each message it accepts is parsed by Python's own mail
parser and written as one JSON line to --out: the envelope, the headers as
sent, the Subject and To decoded (RFC 2047) and the body decoded
(quoted-printable), so the tests check entente's mail as a mail reader
would see it.

Behaviour by recipient, to test the fault cases:
  tempfail*@...  the first RCPT gets "451 try again later", later ones pass
  reject*@...    every RCPT gets "550 no such user"
  slow*@...      the first RCPT waits --slow seconds before answering
                 (the test kills the sender meanwhile)
With --tls CERT:KEY the server offers STARTTLS and requires it before
mail; with --smtps too it speaks TLS from the first byte instead (implicit
TLS). With --auth USER:PASSWORD, the server requires SMTP AUTH (PLAIN or LOGIN;
without TLS, on loopback only) and refuses mail before it.
Usage: sink.py --port N --out FILE --ready FILE [--slow SECONDS] [--auth USER:PASSWORD]
               [--tls CERT:KEY [--smtps]]
"""
import argparse
import asyncio
import email
import email.header
import email.policy
import json
import logging
import os
import signal
import ssl
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Sink:
    def __init__(self, out, slow):
        self.out = out
        self.slow = slow
        self.seen = set()
        self.lock = threading.Lock()

    def first_time(self, address):
        with self.lock:
            first = address not in self.seen
            self.seen.add(address)
            return first

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 no such user"
        if local.startswith("tempfail") and self.first_time(address):
            return "451 4.3.0 try again later"
        if local.startswith("slow") and self.first_time(address):
            await asyncio.sleep(self.slow)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "raw_headers": raw.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace"),
            "headers": {k: str(v) for k, v in msg.items()},
            "subject": str(msg["Subject"]),
            "to": str(msg["To"]),
            "message_id": str(msg["Message-ID"]),
            "references": str(msg.get("References", "")),
            "content_type": msg.get_content_type(),
            "charset": msg.get_content_charset(),
            "body": msg.get_content(),
            "max_line": max(len(line) for line in raw.split(b"\r\n")),
            "bare_lf": b"\n" in raw.replace(b"\r\n", b""),
            "tls": bool(session.ssl) or server.transport.get_extra_info("ssl_object") is not None,
        }
        with self.lock:
            with open(self.out, "a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
        return "250 2.0.0 accepted"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--ready", required=True)
    ap.add_argument("--slow", type=float, default=5.0)
    ap.add_argument("--auth")
    ap.add_argument("--tls")
    ap.add_argument("--smtps", action="store_true")
    args = ap.parse_args()
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    warnings.simplefilter("ignore")
    extra = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login == user.encode() and auth_data.password == password.encode()
            return AuthResult(success=ok)

        extra = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    if args.tls:
        cert, key = args.tls.split(":", 1)
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(cert, key)
        if args.smtps:
            extra["ssl_context"] = ctx
        else:
            extra.update(tls_context=ctx, require_starttls=True)
    controller = Controller(Sink(args.out, args.slow), hostname="127.0.0.1", port=args.port, **extra)
    controller.start()
    with open(args.ready + ".tmp", "w") as f:
        f.write(str(os.getpid()))
    os.rename(args.ready + ".tmp", args.ready)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

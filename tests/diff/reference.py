#!/usr/bin/python3
"""The differential test's reference side: a file of raw bytes through h11
(Debian's python3-h11) as a server, printing the same JSON line as
tests/diff/frames.c:

  {"requests":[{"method":..,"target":..,"body_len":N},..],
   "refused":STATUS|null,"incomplete":BOOL,"closed":BOOL}

  reference.py FILE

The bytes are given whole. Each Request is recorded with the sum of its
Data lengths when its EndOfMessage comes; then a minimal response is sent
and the next cycle started, so pipelined requests are read. A request after
which the connection cannot go on ends the run ("closed"), as the server
would close. h11 does not keep HTTP/1.0 connections alive at all; RFC 9112
(9.3, appendix C.2.2) does when the request says "Connection: keep-alive",
and entente does, so the bytes that follow such a request are read by a
fresh h11 connection: the framing of each request is still h11's. A
RemoteProtocolError is a refusal, with h11's error_status_hint.
"incomplete": bytes are left that are not a whole request.
"""
import json
import sys

import h11


def connection_tokens(headers):
    out = set()
    for name, value in headers:
        if name.lower() == b"connection":
            out.update(t.strip().lower() for t in value.split(b","))
    return out


def run(data):
    result = {"requests": [], "refused": None, "incomplete": False, "closed": False}
    conn = h11.Connection(h11.SERVER)
    if data:  # receive_data(b"") would say the peer closed
        conn.receive_data(data)
    request = None
    body_len = 0
    while True:
        try:
            event = conn.next_event()
        except h11.RemoteProtocolError as e:
            result["refused"] = e.error_status_hint
            result["why"] = str(e)
            return result
        if isinstance(event, h11.Request):
            request, body_len = event, 0
        elif isinstance(event, h11.Data):
            body_len += len(event.data)
        elif isinstance(event, h11.EndOfMessage):
            result["requests"].append({
                "method": request.method.decode("latin-1"),
                "target": request.target.decode("latin-1"),
                "body_len": body_len,
            })
            tokens = connection_tokens(request.headers)
            http10_keep = request.http_version == b"1.0" and b"keep-alive" in tokens and b"close" not in tokens
            conn.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
            if conn.our_state is h11.SEND_BODY:  # not when a CONNECT switched protocols
                conn.send(h11.EndOfMessage())
            if conn.our_state is h11.DONE and conn.their_state is h11.DONE:
                conn.start_next_cycle()
            elif http10_keep and conn.their_state is h11.MUST_CLOSE:
                rest, _ = conn.trailing_data
                conn = h11.Connection(h11.SERVER)
                if rest:
                    conn.receive_data(rest)
            else:  # closed, or switched protocols: nothing more is read
                result["closed"] = True
                return result
            request = None
        elif event is h11.NEED_DATA or event is h11.PAUSED:
            rest, _ = conn.trailing_data
            result["incomplete"] = request is not None or len(rest) > 0
            return result
        else:
            raise SystemExit("reference.py: unexpected event %r" % (event,))


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: reference.py FILE\n")
        return 2
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    print(json.dumps(run(data), separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_conn (tests/fuzz/corpus-conn): every case
of issue 19 as a byte stream with its cuts. A file is: one byte choosing
the body limit ((b % 8) * 512 + 16), one byte saying how many cut sizes end
the file, the stream, then the cut sizes (each piece is size + 1 bytes,
cycled). Run it again after adding a case; the files are committed."""
import os

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus-conn")

def req(method="GET", target="/healthz", headers=(), body=b"", version="1.1"):
    head = f"{method} {target} HTTP/{version}\r\n".encode()
    if version == "1.1":
        head += b"Host: x\r\n"
    for h in headers:
        head += h.encode() + b"\r\n"
    return head + b"\r\n" + body

def chunked(body, size):
    out = b""
    for i in range(0, len(body), size):
        part = body[i:i + size]
        out += b"%x\r\n" % len(part) + part + b"\r\n"
    return out + b"0\r\n\r\n"

CASES = {
    # part 1: a head whose body comes later and makes the buffer grow
    "cl-body-later": (7, req("POST", "/api/v1/session", ["Content-Length: 3000"], b"b" * 3000), [40, 255, 255, 255]),
    "chunked-body-later": (7, req("POST", "/api/v1/session", ["Transfer-Encoding: chunked"], chunked(b"b" * 2500, 700)), [60, 3, 200]),
    "expect-continue": (7, req("POST", "/x", ["Content-Length: 1200", "Expect: 100-continue"], b"b" * 1200), [50, 255]),
    # part 2: trailers, a request hidden after the last chunk, absolute form, HTTP/1.0
    "trailer-ok": (1, req("POST", "/x", ["Transfer-Encoding: chunked"], b"3\r\nbbb\r\n0\r\nX-Sum: 1\r\n\r\n") + req(), [0, 1, 2]),
    "trailer-smuggle": (1, req("POST", "/x", ["Transfer-Encoding: chunked"], b"0\r\nGET /x HTTP/1.1\r\n\r\n"), [5]),
    "trailer-framing": (1, req("POST", "/x", ["Transfer-Encoding: chunked"], b"0\r\nContent-Length: 4\r\n\r\nbbbb"), [9, 0]),
    "absolute-form": (0, req("GET", "http://example.org:8080/healthz?x=1") + req("GET", "https://h"), [3, 7]),
    "http10-keepalive": (0, req(version="1.0", headers=["Connection: keep-alive"]) + req(version="1.0"), [1]),
    # pipelining of every kind, cut everywhere
    "pipelined": (2, req() + req("POST", "/a", ["Content-Length: 5"], b"bbbbb")
                  + req("POST", "/b", ["Transfer-Encoding: chunked"], chunked(b"b" * 40, 7)) + req("HEAD"), [0, 1, 2, 3, 4, 5, 6]),
    # refusals: too large, ambiguous framing
    "too-large": (0, req("POST", "/x", ["Content-Length: 99999"]), [10]),
    "chunked-too-large": (0, req("POST", "/x", ["Transfer-Encoding: chunked"], chunked(b"b" * 600, 100)), [20, 20]),
    "cl-te": (2, req("POST", "/x", ["Content-Length: 3", "Transfer-Encoding: chunked"], b"0\r\n\r\n"), [2]),
    "two-cl": (2, req("POST", "/x", ["Content-Length: 3", "Content-Length: 4"], b"bbbb"), [0]),
    "bare-lf": (2, b"GET / HTTP/1.1\nHost: x\n\n", [0]),
    "slow-head": (0, req(headers=["X-Long: " + "y" * 300]), [0]),
}

os.makedirs(HERE, exist_ok=True)
for name, (limit, stream, cuts) in CASES.items():
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(bytes([limit, len(cuts)]) + stream + bytes(cuts))

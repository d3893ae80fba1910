#!/usr/bin/python3
"""Writes the differential test's corpus, tests/diff/corpus/NAME.http: the
raw bytes of one connection's input per file, exactly (CRLFs included).
The files are committed too; this script is how they are reviewed and
changed: edit CASES, run `python3 tests/diff/make_corpus.py`, commit both.
Files in corpus/ that no case names any more are removed.

Each case is (name, bytes). The comment before a group says what it
probes; what each side is expected to do is not written here: the test
compares entente with h11 (tests/diff/run.sh), and the cases where entente
is deliberately stricter are listed in tests/diff/stricter.txt.
"""
import os
import sys

HOST = b"Host: example.com\r\n"


def get(target=b"/", extra=b"", version=b"HTTP/1.1", host=True):
    return b"GET " + target + b" " + version + b"\r\n" + (HOST if host else b"") + extra + b"\r\n"


def post(body, extra=b"", target=b"/submit", version=b"HTTP/1.1"):
    return (b"POST " + target + b" " + version + b"\r\n" + HOST + extra
            + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


def chunked(chunks, extra=b"", target=b"/upload"):
    """A chunked POST; chunks is the raw chunked body."""
    return b"POST " + target + b" HTTP/1.1\r\n" + HOST + extra + b"Transfer-Encoding: chunked\r\n\r\n" + chunks


def chunk(data, ext=b""):
    return b"%x" % len(data) + ext + b"\r\n" + data + b"\r\n"


def head_only(lines):
    """A head from its lines (no CRLFs), ended by the empty line."""
    return b"".join(line + b"\r\n" for line in lines) + b"\r\n"


BIG = bytes((i * 7 + 3) % 256 for i in range(20000))
TEXT = b"".join(b"line %05d of a body that is long enough\n" % i for i in range(500))

CASES = [
    # --- plain requests
    ("get-simple", get()),
    ("head-simple", b"HEAD /index.html HTTP/1.1\r\n" + HOST + b"\r\n"),
    ("get-query", get(b"/a%20b?x=1&y=%C3%A9")),
    ("get-lowercase-method", b"get / HTTP/1.1\r\n" + HOST + b"\r\n"),
    ("get-custom-method", b"PROPFIND /dav HTTP/1.1\r\n" + HOST + b"\r\n"),
    ("get-empty", b""),
    ("get-ows-around-value", b"GET / HTTP/1.1\r\nHost: \t example.com \t\r\nAccept:   */*  \r\n\r\n"),
    ("get-empty-value", get(extra=b"X-Empty:\r\nX-Empty-2: \r\n")),
    ("get-header-obs-text", get(extra=b"X-Name: caf\xe9\r\n")),
    ("get-header-name-case", b"GET / HTTP/1.1\r\nhOsT: example.com\r\n\r\n"),
    ("get-incomplete-head", b"GET / HTTP/1.1\r\nHost: example.com\r\n"),
    # --- bodies framed by Content-Length
    ("post-cl-0", post(b"")),
    ("post-cl-1", post(b"x")),
    ("post-cl-json", post(b'{"name":"ballot","options":["a","b"]}', extra=b"Content-Type: application/json\r\n")),
    ("post-cl-big", post(BIG)),
    ("post-cl-nul-in-body", post(b"a\x00b\r\n\x00")),
    ("post-cl-leading-zeros", b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length: 005\r\n\r\nhello"),
    ("post-cl-tabs", b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length:\t5\t\r\n\r\nhello"),
    ("post-cl-short-body", b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length: 10\r\n\r\nhello"),
    ("post-no-length", b"POST / HTTP/1.1\r\n" + HOST + b"\r\n"),
    ("get-with-body", b"GET / HTTP/1.1\r\n" + HOST + b"Content-Length: 3\r\n\r\nabc"),
    ("head-with-body", b"HEAD / HTTP/1.1\r\n" + HOST + b"Content-Length: 3\r\n\r\nabc"),
    ("post-body-looks-like-request", post(get(b"/hidden"))),
    # --- keep-alive and pipelining
    ("keepalive-two", get(b"/one") + get(b"/two")),
    ("pipelined-3", get(b"/a") + post(b"hello") + get(b"/c")),
    ("pipelined-5", get(b"/1") + post(b"two") + chunked(chunk(b"three") + b"0\r\n\r\n")
     + b"HEAD /4 HTTP/1.1\r\n" + HOST + b"\r\n" + post(b"", target=b"/5")),
    ("pipelined-then-partial", get(b"/done") + b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length: 4\r\n\r\nab"),
    ("pipelined-close", get(b"/a") + get(b"/b", extra=b"Connection: close\r\n") + get(b"/ignored")),
    ("pipelined-then-bad", get(b"/ok") + b"GET /bad HTTP/1.1\r\nHost : example.com\r\n\r\n"),
    ("connection-keepalive-list", get(extra=b"Connection: keep-alive, Upgrade-Insecure-Requests\r\n") + get(b"/2")),
    # --- HTTP/1.0
    ("http10-simple", b"GET / HTTP/1.0\r\n\r\n"),
    ("http10-closes", b"GET /a HTTP/1.0\r\n\r\nGET /b HTTP/1.0\r\n\r\n"),
    ("http10-keepalive", b"GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\nGET /c HTTP/1.0\r\n\r\nGET /d HTTP/1.0\r\n\r\n"),
    ("http10-post-cl", b"POST /f HTTP/1.0\r\nContent-Length: 4\r\n\r\nabcd"),
    ("http10-host", b"GET / HTTP/1.0\r\n" + HOST + b"\r\n"),
    ("http10-chunked", b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
    # --- chunked bodies
    ("chunked-simple", chunked(chunk(b"hello") + b"0\r\n\r\n")),
    ("chunked-empty", chunked(b"0\r\n\r\n")),
    ("chunked-several", chunked(chunk(b"a") + chunk(b"bc") + chunk(b"0123456789abcdef") + b"0\r\n\r\n")),
    ("chunked-big", chunked(chunk(TEXT[:9000]) + chunk(TEXT[9000:]) + b"0\r\n\r\n")),
    ("chunked-uppercase-hex", chunked(b"A\r\n0123456789\r\n0\r\n\r\n")),
    ("chunked-leading-zeros", chunked(b"0005\r\nhello\r\n000\r\n\r\n")),
    ("chunked-ext", chunked(chunk(b"hello", b";name=value") + chunk(b"ab", b';a;b="q r"') + b"0;last\r\n\r\n")),
    ("chunked-ext-empty", chunked(b"5;\r\nhello\r\n0\r\n\r\n")),
    ("chunked-ext-bws-after-semicolon", chunked(b"5; a = b\r\nhello\r\n0\r\n\r\n")),
    ("chunked-ext-bws", chunked(b"5 ;a=b\r\nhello\r\n0\r\n\r\n")),
    ("chunked-size-trailing-ws", chunked(b"5 \r\nhello\r\n0\t\r\n\r\n")),
    ("chunked-size-junk-after-ws", chunked(b"5 x\r\nhello\r\n0\r\n\r\n")),
    ("chunked-ext-ctl", chunked(b"5;a=\x01\r\nhello\r\n0\r\n\r\n")),
    ("chunked-ext-long", chunked(b"5;" + b"x" * 300 + b"\r\nhello\r\n0\r\n\r\n")),
    ("chunked-17-digits", chunked(b"00000000000000005\r\nhello\r\n0\r\n\r\n")),
    ("chunked-size-overflow", chunked(b"1FFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n")),
    ("chunked-size-huge", chunked(b"FFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n")),
    ("chunked-over-limit", chunked(b"100001\r\nhello\r\n")),
    ("chunked-no-size", chunked(b"\r\nhello\r\n0\r\n\r\n")),
    ("chunked-negative-size", chunked(b"-5\r\nhello\r\n0\r\n\r\n")),
    ("chunked-0x-size", chunked(b"0x5\r\nhello\r\n0\r\n\r\n")),
    ("chunked-data-too-long", chunked(b"3\r\nhello\r\n0\r\n\r\n")),
    ("chunked-data-no-crlf", chunked(b"5\r\nhelloX\r\n0\r\n\r\n")),
    ("chunked-bare-lf-size", chunked(b"5\nhello\r\n0\r\n\r\n")),
    ("chunked-bare-lf-data", chunked(b"5\r\nhello\n0\r\n\r\n")),
    ("chunked-bare-lf-end", chunked(b"5\r\nhello\r\n0\r\n\n")),
    ("chunked-bare-cr-size", chunked(b"5\rhello\r\n0\r\n\r\n")),
    ("chunked-missing-final-crlf", chunked(chunk(b"hello") + b"0\r\n")),
    ("chunked-missing-last-chunk", chunked(chunk(b"hello"))),
    ("chunked-trailers", chunked(chunk(b"hello") + b"0\r\nX-Checksum: abc\r\nX-Other:\t1 2 \r\n\r\n")),
    ("chunked-trailer-cl", chunked(chunk(b"hello") + b"0\r\nContent-Length: 5\r\n\r\n")),
    ("chunked-trailer-te", chunked(chunk(b"hello") + b"0\r\nTransfer-Encoding: chunked\r\n\r\n")),
    ("chunked-trailer-host", chunked(chunk(b"hello") + b"0\r\nHost: other.example\r\n\r\n")),
    ("chunked-trailer-fold", chunked(chunk(b"hello") + b"0\r\nX-A: a\r\n b\r\n\r\n")),
    ("chunked-trailer-no-colon", chunked(chunk(b"hello") + b"0\r\nfoo\r\n\r\n")),
    ("chunked-trailer-ws-before-colon", chunked(chunk(b"hello") + b"0\r\nX-A : a\r\n\r\n")),
    ("chunked-trailer-bare-lf", chunked(chunk(b"hello") + b"0\r\nX-A: a\n\r\n")),
    ("chunked-trailer-ctl", chunked(chunk(b"hello") + b"0\r\nX-A: a\x01b\r\n\r\n")),
    ("chunked-hidden-request", chunked(chunk(b"hello") + b"0\r\nGET /x HTTP/1.1\r\n" + HOST + b"\r\n")),
    ("chunked-then-pipelined", chunked(chunk(b"hello") + b"0\r\n\r\n") + get(b"/x")),
    ("chunked-te-case", b"POST / HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: ChUnKeD\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
    ("chunked-expect-100", chunked(chunk(b"hello") + b"0\r\n\r\n", extra=b"Expect: 100-continue\r\n")),
    # --- framing: both, duplicates, malformed (request smuggling)
    ("cl-te-both", b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length: 13\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nSMUGGLED"),
    ("te-cl-both", b"POST / HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n"),
    ("cl-duplicate-same", b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello"),
    ("cl-duplicate-differ", b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
    ("cl-list-same", b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length: 5, 5\r\n\r\nhello"),
    ("cl-list-differ", b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length: 5,6\r\n\r\nhello!"),
    ("cl-plus", b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length: +5\r\n\r\nhello"),
    ("cl-minus", b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length: -1\r\n\r\n"),
    ("cl-space-inside", b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length: 1 0\r\n\r\nhelloworld"),
    ("cl-hex", b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length: 0x5\r\n\r\nhello"),
    ("cl-empty", b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length:\r\n\r\n"),
    ("cl-19-digits", b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length: 1000000000000000000\r\n\r\nhello"),
    ("cl-over-limit", b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length: 2000000\r\n\r\nhello"),
    ("cl-ws-before-colon", b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length : 5\r\n\r\nhello"),
    ("cl-folded", b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length:\r\n 5\r\n\r\nhello"),
    ("te-gzip", b"POST / HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: gzip\r\n\r\nhello"),
    ("te-gzip-chunked", b"POST / HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
    ("te-chunked-twice-list", b"POST / HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: chunked, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
    ("te-duplicate", b"POST / HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    ("te-identity", b"POST / HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: identity\r\nContent-Length: 5\r\n\r\nhello"),
    ("te-xchunked", b"POST / HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"),
    ("te-vtab", b"POST / HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: \x0bchunked\r\n\r\n0\r\n\r\n"),
    ("te-ws-before-colon", b"POST / HTTP/1.1\r\n" + HOST + b"Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n"),
    ("te-underscore", b"POST / HTTP/1.1\r\n" + HOST + b"Transfer_Encoding: chunked\r\n\r\n0\r\n\r\n"),
    ("te-folded", b"POST / HTTP/1.1\r\n" + HOST + b"Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n"),
    # --- line ends and bytes
    ("bare-lf", b"GET / HTTP/1.1\nHost: example.com\n\n"),
    ("bare-lf-mixed", b"GET / HTTP/1.1\r\nHost: example.com\n\r\n"),
    ("bare-cr-in-value", b"GET / HTTP/1.1\r\nHost: example.com\r\nX-A: a\rb\r\n\r\n"),
    ("cr-cr-lf", b"GET / HTTP/1.1\r\r\nHost: example.com\r\n\r\n"),
    ("bare-cr-line-end", b"GET / HTTP/1.1\rHost: example.com\r\n\r\n"),
    ("nul-in-value", b"GET / HTTP/1.1\r\nHost: example.com\r\nX-A: a\x00b\r\n\r\n"),
    ("nul-in-target", b"GET /a\x00b HTTP/1.1\r\nHost: example.com\r\n\r\n"),
    ("ctl-in-value", get(extra=b"X-A: a\x01b\r\n")),
    ("del-in-value", get(extra=b"X-A: a\x7fb\r\n")),
    ("leading-crlf", b"\r\n" + get()),
    ("leading-crlf-many", b"\r\n" * 5 + get()),
    ("leading-lf", b"\n" + get()),
    ("trailing-crlf", get() + b"\r\n"),
    ("post-then-crlf", post(b"hello") + b"\r\n" + get(b"/next")),
    # --- header fields
    ("obs-fold", get(extra=b"X-Long: first\r\n second\r\n")),
    ("obs-fold-first-line", b"GET / HTTP/1.1\r\n X-A: a\r\n" + HOST + b"\r\n"),
    ("ws-before-colon", b"GET / HTTP/1.1\r\nHost : example.com\r\n\r\n"),
    ("tab-before-colon", b"GET / HTTP/1.1\r\n" + HOST + b"X-A\t: a\r\n\r\n"),
    ("header-name-invalid", get(extra=b"X(A): a\r\n")),
    ("header-name-empty", get(extra=b": a\r\n")),
    ("header-no-colon", get(extra=b"X-A\r\n")),
    ("header-long", get(extra=b"X-Long: " + b"v" * 10000 + b"\r\n")),
    ("header-too-long", get(extra=b"X-Long: " + b"v" * 17000 + b"\r\n")),
    ("headers-many", get(extra=b"".join(b"X-H%d: %d\r\n" % (i, i) for i in range(101)))),
    ("host-missing", b"GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"),
    ("host-two", get(extra=b"Host: other.example\r\n")),
    ("host-empty", b"GET / HTTP/1.1\r\nHost:\r\n\r\n"),
    ("host-userinfo", b"GET / HTTP/1.1\r\nHost: user@example.com\r\n\r\n"),
    ("host-port", b"GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"),
    ("expect-100", post(b"hello", extra=b"Expect: 100-continue\r\n")),
    ("expect-other", post(b"hello", extra=b"Expect: something-else\r\n")),
    ("connection-close", get(extra=b"Connection: close\r\n")),
    ("upgrade-ignored", get(extra=b"Connection: Upgrade\r\nUpgrade: websocket\r\n") + get(b"/after")),
    # --- request line
    ("target-absolute", get(b"http://example.com/p?q=1")),
    ("target-absolute-host-differs", get(b"http://other.example/p")),
    ("target-absolute-userinfo", get(b"http://user@example.com/p")),
    ("target-absolute-other-scheme", get(b"ftp://example.com/p")),
    ("target-absolute-no-path", get(b"https://example.com:8443")),
    ("target-absolute-no-host-header", get(b"http://example.com/p", host=False)),
    ("target-asterisk-options", b"OPTIONS * HTTP/1.1\r\n" + HOST + b"\r\n"),
    ("target-asterisk-get", get(b"*")),
    ("target-authority-connect", b"CONNECT example.com:443 HTTP/1.1\r\n" + HOST + b"\r\n"),
    ("target-space", b"GET /a b HTTP/1.1\r\n" + HOST + b"\r\n"),
    ("target-fragment", get(b"/a#b")),
    ("target-non-ascii", get(b"/caf\xc3\xa9")),
    ("target-long", get(b"/" + b"a" * 9000)),
    ("method-invalid", b"GE(T / HTTP/1.1\r\n" + HOST + b"\r\n"),
    ("method-long", b"ABCDEFGHIJKLMNOPQRSTU / HTTP/1.1\r\n" + HOST + b"\r\n"),
    ("method-empty", b" / HTTP/1.1\r\n" + HOST + b"\r\n"),
    ("request-line-double-space", b"GET  / HTTP/1.1\r\n" + HOST + b"\r\n"),
    ("request-line-trailing-space", b"GET / HTTP/1.1 \r\n" + HOST + b"\r\n"),
    ("request-line-tab", b"GET\t/ HTTP/1.1\r\n" + HOST + b"\r\n"),
    ("request-line-no-version", b"GET /\r\n\r\n"),
    ("version-lowercase", get(version=b"http/1.1")),
    ("version-1-2", get(version=b"HTTP/1.2")),
    ("version-2-0", get(version=b"HTTP/2.0")),
    ("version-0-9", get(version=b"HTTP/0.9")),
    ("version-two-digits", get(version=b"HTTP/1.10")),
    ("version-no-minor", get(version=b"HTTP/1")),
    ("tls-hello", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(32))),
]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "corpus")
    os.makedirs(out, exist_ok=True)
    names = set()
    for name, data in CASES:
        if name in names:
            sys.exit("make_corpus.py: two cases named " + name)
        names.add(name)
        path = os.path.join(out, name + ".http")
        old = None
        if os.path.exists(path):
            with open(path, "rb") as f:
                old = f.read()
        if old != data:
            with open(path, "wb") as f:
                f.write(data)
    for f in sorted(os.listdir(out)):
        if f.endswith(".http") and f[:-5] not in names:
            os.remove(os.path.join(out, f))
    print("%d cases in %s" % (len(CASES), os.path.relpath(out)))


if __name__ == "__main__":
    main()

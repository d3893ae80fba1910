#!/usr/bin/python3
"""The differential test's verdicts (called by tests/diff/run.sh):

  compare.py CORPUS_DIR OUT_DIR STRICTER_FILE

For each CORPUS_DIR/NAME.http, OUT_DIR/NAME.json is what tests/diff/frames
printed for entente, and OUT_DIR/NAME.fail (when present) holds the C
driver's own failures (a cut that changed the result, a sanitizer report).
h11's result comes from reference.run() in this process. The rule:

  - every request entente reads, h11 reads too, in the same place, with
    the same method, target (an absolute-form target compared by its path,
    which is what entente keeps of it) and body length;
  - where h11 refuses, entente refuses (and no later than h11 does);
  - where entente refuses what h11 accepts (entente is stricter), the case
    must be listed in STRICTER_FILE with its reason, and every case listed
    there must still be such a case;
  - otherwise both end alike: the same number of requests, both closing or
    neither, both holding an incomplete request or neither.

One line per failing case, then "N passed, M failed" (each corpus case is
one test); exit status 1 on any failure.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402


def origin(target):
    low = target.lower()
    for scheme in ("http://", "https://"):
        if low.startswith(scheme):
            rest = target[len(scheme):]
            cut = min([i for i in (rest.find("/"), rest.find("?")) if i >= 0], default=len(rest))
            path = rest[cut:]
            return path if path.startswith("/") else "/" + path
    return target


def show(req):
    return "%s %s (body %d)" % (req["method"], req["target"], req["body_len"])


def outcome(res):
    if res["refused"] is not None:
        return "refuses %s (%s)" % (res["refused"], res.get("why", ""))
    if res["closed"]:
        return "closes"
    return "holds an incomplete request" if res["incomplete"] else "ends cleanly"


def verdict(e, h):
    """("agree" | "stricter" | "fail", detail)."""
    re_, rh = e["requests"], h["requests"]
    for i, (a, b) in enumerate(zip(re_, rh)):
        if (a["method"], a["target"], a["body_len"]) != (b["method"], origin(b["target"]), b["body_len"]):
            return "fail", "request %d: entente reads %s, h11 reads %s" % (i + 1, show(a), show(b))
    n, m = len(re_), len(rh)
    summary = "entente: %d request(s), %s; h11: %d request(s), %s" % (n, outcome(e), m, outcome(h))
    if n > m:
        return "fail", "entente accepts request %d (%s) that h11 does not: %s" % (m + 1, show(re_[m]), summary)
    if n < m:
        if e["refused"] is not None:
            return "stricter", summary
        return "fail", "they disagree on the number of requests: " + summary
    if e["refused"] is not None and h["refused"] is not None:
        return "agree", summary
    if e["refused"] is not None:
        return "stricter", summary
    if h["refused"] is not None:
        return "fail", "h11 refuses where entente does not: " + summary
    if e["closed"] != h["closed"] or e["incomplete"] != h["incomplete"]:
        return "fail", "they disagree on how the bytes end: " + summary
    return "agree", summary


def read_stricter(path):
    listed = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, _, reason = line.partition(" ")
            listed[name] = reason.strip()
    return listed


def main():
    if len(sys.argv) != 4:
        sys.stderr.write("usage: compare.py CORPUS_DIR OUT_DIR STRICTER_FILE\n")
        return 2
    corpus, out, stricter_file = sys.argv[1:]
    listed = read_stricter(stricter_file)
    names = sorted(f for f in os.listdir(corpus) if f.endswith(".http"))
    passed = failed = 0
    for name in names:
        base = name[:-len(".http")]
        problems = []
        fail_file = os.path.join(out, base + ".fail")
        if os.path.exists(fail_file):
            with open(fail_file, encoding="utf-8", errors="replace") as f:
                problems += [line.rstrip("\n") for line in f if line.strip()]
        try:
            with open(os.path.join(out, base + ".json"), encoding="utf-8") as f:
                e = json.loads(f.readline())
        except (OSError, ValueError) as err:
            e = None
            problems.append("no result from frames (%s)" % err)
        with open(os.path.join(corpus, name), "rb") as f:
            h = reference.run(f.read())
        if e is not None:
            kind, detail = verdict(e, h)
            if kind == "fail":
                problems.append(detail)
            elif kind == "stricter" and name not in listed:
                problems.append("entente is stricter, and stricter.txt does not say why: " + detail)
            elif kind == "agree" and name in listed:
                problems.append("listed in stricter.txt, but they no longer disagree: " + detail)
        if problems:
            failed += 1
            for p in problems:
                print("FAIL %s: %s" % (name, p))
        else:
            passed += 1
    for name in sorted(set(listed) - set(names)):
        failed += 1
        print("FAIL stricter.txt lists %s, which is not in the corpus" % name)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

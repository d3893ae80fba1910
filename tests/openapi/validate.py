#!/usr/bin/python3
"""Issue 22: every answer the HTTP tests received, held against the OpenAPI
document the server serves (docs/openapi.json, which make test checks is
the served one), with a validator that is not ours: Debian's
python3-jsonschema (JSON Schema 2020-12, the dialect of OpenAPI 3.1).

Input: the JSON lines tests/http/client.c writes when ENTENTE_OPENAPI_RECORD
is set (method, path, status, the described headers, the body).

Checks, each a line "ok ..." or "FAIL ...", then "N passed, M failed":
  answers     every answer of an operation the document has: its status is
              listed (default only for 500), its media type and body match
              the schema, the headers the document marks required are there;
  successes   every operation answered a success at least once;
  refusals    (figures only) how many of the listed refusals were seen.
Usage: validate.py DOCUMENT RECORDS [--self-test]
"""
import json
import re
import sys
from collections import Counter, defaultdict

import jsonschema

METHODS = ("get", "put", "post", "delete", "patch", "head")


def matchers(doc):
    """(regex, template) for every path, literal paths before templated ones."""
    out = []
    for template in doc["paths"]:
        params = template.count("{")
        rx = "^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(template)) + "$"
        out.append((params, -len(template), re.compile(rx), template))
    out.sort(key=lambda t: (t[0], t[1]))
    return [(rx, t) for _, _, rx, t in out]


def find_operation(doc, paths, method, path):
    path = path.split("?", 1)[0]
    m = method.lower()
    if m == "head":
        m = "get"
    for rx, template in paths:
        if rx.match(path) and m in doc["paths"][template]:
            return template, doc["paths"][template][m]
    return None, None


def validator_for(doc, schema):
    root = dict(schema)
    root["components"] = doc.get("components", {})
    cls = jsonschema.Draft202012Validator
    return cls(root, format_checker=jsonschema.FormatChecker())


HEADER_FIELDS = {"etag": "etag", "location": "location", "retry-after": "retry_after", "set-cookie": "set_cookie",
                 "content-type": "content_type"}


def check(doc, paths, rec, cache):
    """The problems of one exchange (a list of strings), or None when the
    document has no operation for it."""
    template, op = find_operation(doc, paths, rec["method"], rec["path"])
    if op is None:
        return None, None
    status = str(rec["status"])
    responses = op.get("responses", {})
    name = "%s %s" % (rec["method"], template)
    if status in responses:
        resp = responses[status]
    elif status == "500" and "default" in responses:
        resp = responses["default"]
    else:
        return name, ["status %s is not listed (listed: %s)" % (status, ", ".join(sorted(responses)))]
    problems = []
    for h, spec in (resp.get("headers") or {}).items():
        field = HEADER_FIELDS.get(h.lower())
        if spec.get("required") and field and not rec.get(field):
            problems.append("header %s missing" % h)
    content = resp.get("content") or {}
    has_body = "body" in rec or "text" in rec
    if rec["method"] == "HEAD":
        has_body = False
    if not content:
        if has_body:
            problems.append("a body where the document says none")
        return name, problems
    if not has_body:
        if rec["method"] != "HEAD":
            problems.append("no body where the document has %s" % ", ".join(content))
        return name, problems
    ctype = (rec.get("content_type") or "").split(";", 1)[0].strip().lower()
    media = content.get(ctype)
    if media is None:
        return name, problems + ["media type %r is not listed (listed: %s)" % (ctype, ", ".join(content))]
    schema = media.get("schema")
    if schema is None:
        return name, problems
    body = rec["body"] if "body" in rec else rec["text"]
    key = (template, rec["method"], status, ctype)
    if key not in cache:
        cache[key] = validator_for(doc, schema)
    for err in sorted(cache[key].iter_errors(body), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in err.absolute_path) or "(body)"
        problems.append("%s: %s" % (where, err.message[:200]))
    return name, problems


def run(doc, records):
    paths = matchers(doc)
    cache = {}
    failures = defaultdict(Counter)
    succeeded, refused, unmatched, checked = set(), set(), 0, 0
    for rec in records:
        name, problems = check(doc, paths, rec, cache)
        if name is None:
            unmatched += 1
            continue
        checked += 1
        for p in problems:
            failures[name][p] += 1
        code = int(rec["status"])
        if 200 <= code < 300:
            succeeded.add(name)
        elif not problems:
            refused.add((name, rec["status"]))
    operations, listed = [], 0
    for template, item in doc["paths"].items():
        for m in METHODS:
            if m in item:
                operations.append("%s %s" % (m.upper(), template))
                listed += sum(1 for s in item[m].get("responses", {}) if s[0] in "34")
    return failures, succeeded, refused, operations, listed, unmatched, checked


def main(argv):
    if "--self-test" in argv:
        return self_test()
    with open(argv[1]) as f:
        doc = json.load(f)
    records = []
    with open(argv[2]) as f:
        for line in f:
            if line.strip():
                records.append(json.loads(line))
    failures, succeeded, refused, operations, listed, unmatched, checked = run(doc, records)
    passed = failed = 0
    bad = sum(sum(c.values()) for c in failures.values())
    if bad:
        failed += 1
        print("FAIL answers: %d of %d answers do not match the document" % (bad, checked))
        for name in sorted(failures):
            for problem, n in failures[name].most_common():
                print("  %s: %s (x%d)" % (name, problem, n))
    else:
        passed += 1
        print("ok   answers: all %d match the document (%d exchanges outside it)" % (checked, unmatched))
    missing = [o for o in operations if o not in succeeded]
    if missing:
        failed += 1
        print("FAIL successes: %d of %d operations never answered a success" % (len(missing), len(operations)))
        for o in missing:
            print("  " + o)
    else:
        passed += 1
        print("ok   successes: each of the %d operations answered a success" % len(operations))
    print("     refusals: %d of the %d listed refusal statuses seen" % (len(refused), listed))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


def self_test():
    """The checks, broken on purpose: each must be caught."""
    doc = {"openapi": "3.1.0", "paths": {
        "/api/v1/things/{id}": {"get": {"responses": {
            "200": {"description": "x", "headers": {"ETag": {"required": True, "schema": {"type": "string"}}},
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
            "404": {"description": "x", "content": {"application/problem+json": {"schema": {"type": "object"}}}}}}},
        "/api/v1/things/search": {"get": {"responses": {"200": {"description": "x"}}}}},
        "components": {"schemas": {"Thing": {"type": "object", "required": ["id"], "additionalProperties": False,
                                              "properties": {"id": {"type": "integer"}, "owner_id": {"type": "integer"}}}}}}
    paths = matchers(doc)
    good = {"method": "GET", "path": "/api/v1/things/1", "status": 200, "content_type": "application/json", "etag": "\"rev-1\"",
            "body": {"id": 1, "owner_id": 2}}
    cases = [
        ("a matching answer", good, []),
        ("a null the schema forbids", dict(good, body={"id": 1, "owner_id": None}), ["owner_id"]),
        ("a field the schema does not have", dict(good, body={"id": 1, "extra": 1}), ["Additional properties"]),
        ("a status not listed", dict(good, status=201), ["not listed"]),
        ("a required header missing", dict(good, etag=""), ["header ETag"]),
        ("a media type not listed", dict(good, content_type="text/html"), ["media type"]),
        ("a literal path before a template", {"method": "GET", "path": "/api/v1/things/search", "status": 200, "content_type": ""}, []),
        ("a body where none is described", {"method": "GET", "path": "/api/v1/things/search", "status": 200, "content_type": "text/plain",
                                             "text": "x"}, ["a body where"]),
    ]
    passed = failed = 0
    for label, rec, expect in cases:
        _, problems = check(doc, paths, rec, {})
        text = " | ".join(problems)
        ok = (not expect and not problems) or (expect and all(e in text for e in expect))
        print("%s self-test: %s%s" % ("ok  " if ok else "FAIL", label, "" if ok else " -> %r" % problems))
        passed, failed = passed + ok, failed + (not ok)
    name, _ = check(doc, paths, dict(good, path="/elsewhere"), {})
    ok = name is None
    print("%s self-test: an exchange outside the document is not held against it" % ("ok  " if ok else "FAIL"))
    passed, failed = passed + ok, failed + (not ok)
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

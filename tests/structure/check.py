#!/usr/bin/env python3
"""The house's floors, checked (issue 20; docs/ARCHITECTURE.md, "Floors").

    check.py [--src DIR] [--obj DIR]   check the tree (default src/, build/obj/)
    check.py --self-test               break each rule on purpose in a small
                                       tree of its own and show that it fails

A module is a .c file and the .h of the same name beside it (a header with
no .c is a module of its own: an interface such as core/core.h). Rules:

 1. floors: an #include never goes up a floor (FLOORS below), nor does a
    call: every undefined symbol of an object file is defined on its floor
    or below (read with nm, so a dependency hidden from the includes is
    still seen);
 2. no circle: neither the includes nor the calls between modules form a
    cycle;
 3. no hidden declarations: a .c file declares no function or object for
    another file's use (a prototype or an `extern` that is not static);
 4. the engine names no record kind of the domain: no identifier or string
    of core/engine/ says wr, ballot, amendment, meeting, work register or
    change request (comments may).

Exceptions: EXCEPTIONS below, each with its reason and plan; it is empty.
Prints one line per problem and "N passed, M failed" (rules held, broken).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Floors, lowest first: the longest matching prefix of a path under src/
# names its floor. A module may use its own floor and those below.
FLOORS = [
    ("lib/", 1),
    ("store/", 2),
    ("core/engine/", 3),
    ("core/domain/", 4),
    ("core/", 4),          # core/core.h: the domain's face to its callers
    ("http/", 5),
    ("mail/", 5),
    ("publish/", 5),
    ("seal/", 5),
    ("cli/", 6),
    ("entente.c", 7),
]
# Words of the domain the engine must not name (rule 4).
DOMAIN_WORDS = re.compile(r"(?<![A-Za-z0-9])(wr|wrs|ballots?|amendments?|meetings?)(?![A-Za-z0-9])", re.I)
DOMAIN_NAMES = re.compile(r"workregister|changerequest")  # in a token with its separators taken out
# (rule, path or module) -> reason and plan. Empty: every rule holds.
EXCEPTIONS = {}


def floor_of(rel):
    best = None
    for prefix, f in FLOORS:
        if rel.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, f)
    return best[1] if best else None


def module_of(rel):
    return os.path.splitext(rel)[0]


def strip_comments(text):
    """Comments out (newlines kept), strings kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def sources(src):
    for root, _, files in os.walk(src):
        for f in sorted(files):
            if f.endswith((".c", ".h")):
                path = os.path.join(root, f)
                yield os.path.relpath(path, src).replace(os.sep, "/"), path


def cycles(edges):
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    nodes = set(edges) | {b for bs in edges.values() for b in bs}

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def check_includes(src, problems):
    edges = {}
    for rel, path in sources(src):
        text = open(path, encoding="utf-8").read()
        me = module_of(rel)
        for m in re.finditer(r'^\s*#\s*include\s+"([^"]+)"', text, re.M):
            target = m.group(1)
            if not os.path.exists(os.path.join(src, target)):
                continue
            other = module_of(target)
            if other == me:
                continue
            edges.setdefault(me, set()).add(other)
            if floor_of(target) > floor_of(rel):
                problems.append(("floor", rel, "%s includes %s, a floor up (%d > %d)" % (rel, target, floor_of(target), floor_of(rel))))
    for comp in cycles(edges):
        problems.append(("cycle", comp[0], "include circle: " + " -> ".join(comp)))


def check_declarations(src, problems):
    """Rule 3: file-scope declarations in .c files that are not static."""
    for rel, path in sources(src):
        if not rel.endswith(".c"):
            continue
        code = strip_comments(open(path, encoding="utf-8").read())
        depth = 0
        stmt = ""
        for line in code.split("\n"):
            if depth == 0 and not line.startswith("#"):
                stmt += line + "\n"
            depth += line.count("{") - line.count("}")
            if depth == 0 and (line.rstrip().endswith(";") or line.rstrip().endswith("}") or line.strip() == ""):
                s = " ".join(stmt.split())
                stmt = ""
                if not s.endswith(";") or "{" in s or s.startswith(("static", "typedef", "struct", "enum", "union", "#")):
                    continue
                if s.startswith("extern") or re.match(r"^[A-Za-z_][\w\s\*]*\b\w+\s*\([^=]*\)\s*;$", s):
                    problems.append(("declaration", rel, "%s declares for another file's use: %s" % (rel, s[:120])))


def nm(obj):
    out = subprocess.run(["nm", "-P", obj], capture_output=True, text=True, check=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        name, kind = parts[0], parts[1]
        if kind == "U":
            undefined.add(name)
        elif kind in "TDRBCVWG":
            defined.add(name)
    return defined, undefined


def check_symbols(src, obj, problems):
    objs = {}
    for root, _, files in os.walk(obj):
        for f in files:
            if f.endswith(".o"):
                rel = os.path.relpath(os.path.join(root, f), obj).replace(os.sep, "/")[:-2] + ".c"
                if os.path.exists(os.path.join(src, rel)):  # not a stale object of a file since moved
                    objs[rel] = nm(os.path.join(root, f))
    where = {}
    for rel, (defined, _) in objs.items():
        for s in defined:
            where.setdefault(s, rel)
    edges = {}
    for rel, (_, undefined) in sorted(objs.items()):
        for s in sorted(undefined):
            other = where.get(s)
            if not other or other == rel:
                continue
            edges.setdefault(module_of(rel), set()).add(module_of(other))
            if floor_of(other) > floor_of(rel):
                problems.append(("floor", rel, "%s calls %s of %s, a floor up" % (rel, s, other)))
    for comp in cycles(edges):
        problems.append(("cycle", comp[0], "call circle: " + " -> ".join(comp)))


def check_engine_words(src, problems):
    for rel, path in sources(src):
        if not rel.startswith("core/engine/"):
            continue
        code = strip_comments(open(path, encoding="utf-8").read())
        for no, line in enumerate(code.split("\n"), 1):
            for m in re.finditer(r"[A-Za-z_][A-Za-z0-9_]*|\"(?:\\.|[^\"\\])*\"", line):
                token = m.group(0)
                words = re.split(r"[^A-Za-z0-9]+|_", token)
                if any(DOMAIN_WORDS.fullmatch(w) for w in words if w) or DOMAIN_NAMES.search(re.sub(r"[^a-z]", "", token.lower())):
                    problems.append(("engine", rel, "%s:%d names the domain: %s" % (rel, no, token[:60])))


RULES = ["floor", "cycle", "declaration", "engine"]


def run(src, obj):
    problems = []
    check_includes(src, problems)
    check_declarations(src, problems)
    if obj and os.path.isdir(obj):
        check_symbols(src, obj, problems)
    check_engine_words(src, problems)
    kept = [p for p in problems if (p[0], p[1]) not in EXCEPTIONS]
    return kept


def report(problems, label=""):
    broken = {p[0] for p in problems}
    for p in problems:
        print("FAIL %s%s" % (label, p[2]))
    passed = len([r for r in RULES if r not in broken])
    print("%d passed, %d failed" % (passed, len(broken)))
    return 0 if not broken else 1


# ---- the self-test: every rule broken on purpose ----

CLEAN = {
    "lib/util.h": "int util_add(int a, int b);\n",
    "lib/util.c": '#include "lib/util.h"\nint util_add(int a, int b) { return a + b; }\n',
    "core/engine/door.h": '#include "lib/util.h"\nint engine_call(int x);\n',
    "core/engine/door.c": '#include "core/engine/door.h"\n/* a wr in a comment is fine */\nint engine_call(int x) { return util_add(x, 1); }\n',
    "core/domain/wr.h": '#include "core/engine/door.h"\nint wr_get(int id);\n',
    "core/domain/wr.c": '#include "core/domain/wr.h"\nint wr_get(int id) { return engine_call(id); }\n',
}

BREAKS = {
    "floor": {"lib/util.c": '#include "lib/util.h"\n#include "core/engine/door.h"\nint util_add(int a, int b) { return a + b; }\n'},
    "cycle": {"core/domain/ballot.h": '#include "core/domain/wr.h"\nint ballot_get(int id);\n',
              "core/domain/ballot.c": '#include "core/domain/ballot.h"\nint ballot_get(int id) { return wr_get(id); }\n',
              "core/domain/wr.c": '#include "core/domain/wr.h"\n#include "core/domain/ballot.h"\nint wr_get(int id) { return engine_call(id); }\n'
                                  'int wr_ballot(int id) { return ballot_get(id); }\n'},
    "declaration": {"core/domain/wr.c": '#include "core/domain/wr.h"\nint engine_hidden(int id);\n'
                                        'int wr_get(int id) { return engine_call(id) + engine_hidden(id); }\n',
                    "core/engine/door.c": '#include "core/engine/door.h"\nint engine_call(int x) { return util_add(x, 1); }\n'
                                          'int engine_hidden(int x) { return x; }\n'},
    "engine": {"core/engine/door.c": '#include "core/engine/door.h"\nstatic const char *kind = "ballot";\n'
                                     'int engine_call(int x) { return util_add(x, kind[0]); }\n'},
    "engine-name": {"core/engine/door.c": '#include "core/engine/door.h"\nstatic int work_register_rows = 1;\n'
                                          'int engine_call(int x) { return util_add(x, work_register_rows); }\n'},
    # a call a floor up that no include shows (declared by hand, rule 3 too)
    "floor-call": {"lib/util.c": '#include "lib/util.h"\nextern int engine_call(int x);\n'
                                 'int util_add(int a, int b) { return a + b + (a ? 0 : engine_call(b)); }\n'},
}


def build_tree(files, where):
    src, obj = os.path.join(where, "src"), os.path.join(where, "obj")
    for rel, text in files.items():
        path = os.path.join(src, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w").write(text)
    for rel in files:
        if rel.endswith(".c"):
            out = os.path.join(obj, rel[:-2] + ".o")
            os.makedirs(os.path.dirname(out), exist_ok=True)
            subprocess.run([os.environ.get("CC", "cc"), "-c", "-w", "-I" + src, os.path.join(src, rel), "-o", out], check=True)
    return src, obj


def self_test():
    failed = 0
    work = tempfile.mkdtemp(prefix="structure-")
    try:
        src, obj = build_tree(CLEAN, os.path.join(work, "clean"))
        got = run(src, obj)
        ok = not got
        print("%s clean tree passes%s" % ("ok  " if ok else "FAIL", "" if ok else ": " + "; ".join(p[2] for p in got)))
        failed += not ok
        for name, change in BREAKS.items():
            files = dict(CLEAN)
            files.update(change)
            src, obj = build_tree(files, os.path.join(work, name))
            got = run(src, obj)
            want = name.split("-")[0]
            hit = [p for p in got if p[0] == want]
            ok = bool(hit)
            print("%s %s broken on purpose is caught%s" % ("ok  " if ok else "FAIL", name, ": " + hit[0][2] if hit else ""))
            failed += not ok
    finally:
        shutil.rmtree(work)
    total = len(BREAKS) + 1
    print("%d passed, %d failed" % (total - failed, failed))
    return 1 if failed else 0


def main(argv):
    if "--self-test" in argv:
        return self_test()
    src = argv[argv.index("--src") + 1] if "--src" in argv else "src"
    obj = argv[argv.index("--obj") + 1] if "--obj" in argv else "build/obj"
    return report(run(src, obj))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Recomputes spotgen score's numbers from the files alone, as docs/dirty.md
defines them, and compares them with what score printed (--json).

usage: python3 score_check.py TRUTH_DIR CLEANING.csv SCORE.json SCHEMA.json

TRUTH_DIR is what generate --dirty wrote (its _dirty/ ledger holds every dirty
cell with its clean and dirty value, and every copied row); CLEANING.csv a
cleaning with row_key; SCHEMA.json `spotgen schema`'s Spark types. Per kind
and column: dirty (ledger cells, but a copy's: its row is scored as a
duplicate), fixed (the cleaning's value is the clean
one), changed (a value other than the dirty one), nulled (empty); precision
fixed/changed, recall fixed/dirty. Duplicates: per row and its copies, the
members the cleaning dropped (removed), those drops that were redundant
(right: every drop while one member is kept, else all but one); precision
right/removed, recall right/copies. Values are the same when equal as text,
numbers when equal to the clean value's decimals, dates when the same day."""
import collections
import csv
import glob
import json
import os
import sys

truth, cleaning, score_file, schema_file = sys.argv[1:5]
types = {f["name"]: f["type"] for f in json.load(open(schema_file))["fields"]}
score = json.load(open(score_file))


def same(column, got, clean):
    if got == clean:
        return True
    if not got or not clean:
        return False
    kind = types[column]
    if kind in ("integer", "long", "double"):
        decimals = len(clean.split(".")[1]) if "." in clean else 0
        try:
            return abs(float(got) - float(clean)) <= 0.5 * 10 ** -decimals + 1e-12
        except ValueError:
            return False
    if kind == "date":
        day = lambda v: v[:10] if v[10:] in ("", " 00:00:00", "T00:00:00") else None
        return day(got) is not None and day(got) == day(clean) and len(got) >= 10
    return False


cells, copies_of = [], collections.defaultdict(list)
for path in sorted(glob.glob(os.path.join(truth, "_dirty", "*.csv"))):
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["kind"] in ("duplicate", "near_duplicate"):
                copies_of[r["duplicate_of"]].append(r["row_key"])
            else:
                cells.append(r)

cleaned = {}
with open(cleaning, newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        cleaned.setdefault(r["row_key"], r)  # a key seen again is not scored again

copy_keys = {k for copies in copies_of.values() for k in copies}
tally = collections.defaultdict(lambda: [0, 0, 0, 0])  # dirty fixed changed nulled
for c in cells:
    if c["row_key"] in copy_keys:
        continue
    t = tally[(c["kind"], c["column"])]
    t[0] += 1
    row = cleaned.get(c["row_key"])
    if row is None:
        continue
    got = row[c["column"]]
    t[1] += same(c["column"], got, c["clean_value"])
    t[2] += bool(got) and not same(c["column"], got, c["dirty_value"])
    t[3] += not got

ratio = lambda a, b: a / b if b else None
problems = []
printed = {(e["kind"], e["column"]): e for e in score["cells"]}
if set(printed) != set(tally):
    problems.append(f"kinds and columns: score has {sorted(set(printed) ^ set(tally))[:4]} apart")
partial = 0
for key, (dirty, fixed, changed, nulled) in sorted(tally.items()):
    e = printed.get(key)
    want = {"dirty": dirty, "fixed": fixed, "changed": changed, "nulled": nulled,
            "precision": ratio(fixed, changed), "recall": ratio(fixed, dirty)}
    for name, v in want.items():
        got = e.get(name) if e else "(absent)"
        if got != v and not (isinstance(v, float) and isinstance(got, float) and abs(got - v) < 1e-12):
            problems.append(f"{key[0]}/{key[1]} {name}: score says {got}, the files give {v}")
    partial += 0 < fixed < dirty

removed = right = ncopies = 0
for original, copies in copies_of.items():
    members = [original] + copies
    kept = sum(m in cleaned for m in members)
    ncopies += len(copies)
    removed += len(members) - kept
    right += len(members) - kept if kept else len(members) - 1
d = score["duplicates"]
for name, v in (("copies", ncopies), ("removed", removed), ("removed_right", right),
                ("precision", ratio(right, removed)), ("recall", ratio(right, ncopies))):
    if d.get(name) != v and not (isinstance(v, float) and abs((d.get(name) or 0) - v) < 1e-12):
        problems.append(f"duplicates {name}: score says {d.get(name)}, the files give {v}")

for p in problems[:10]:
    print(p, file=sys.stderr)
if problems:
    sys.exit(1)
print(f"{len(tally)} kinds and columns ({partial} with a partial recall) and the duplicates: "
      f"the same as recomputed from the files")

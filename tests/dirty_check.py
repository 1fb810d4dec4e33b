"""Checks a dirty dataset (generate --dirty) against the clean one of the
same seed and rows, with its own reading of every file:

- each row key maps back (by this file's own inverse of the key's
  bijection) to a row of the clean dataset and a copy (0 the row, 1 its
  duplicate, 2 its near duplicate);
- every cell the ledger names holds the ledger's dirty value, and the
  ledger's clean value is the clean dataset's; every other cell is clean;
- a duplicate is its row's line again, a near duplicate differs in its
  track name only, as the ledger says;
- each kind hits the cells it can act on at its rate (within 5 standard
  deviations), and tempo goes missing in sleep playlists at the factor the
  profile gives, and at the plain rate elsewhere;
- the manifest's counts are the ledger's;
- a built-in profile's rates are the ones docs/dirty.md's table documents
  (the rates checked above are the manifest's: this ties them to the page a
  user reads), and swaps happen at about their rate per row.

usage: dirty_check.py CLEAN_DIR DIRTY_DIR
"""
import csv
import glob
import json
import math
import os
import sys
from collections import Counter, defaultdict

M64 = (1 << 64) - 1
WEYL, MIX1, MIX2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
INV1, INV2 = pow(MIX1, -1, 1 << 64), pow(MIX2, -1, 1 << 64)


def unshift(y, s):
    x = y
    for _ in range(64 // s + 1):
        x = y ^ (x >> s)
    return x


def key_row(key):
    x = unshift(key, 31)
    x = (x * INV2) & M64
    x = unshift(x, 27)
    x = (x * INV1) & M64
    x = (unshift(x, 30) - WEYL) & M64
    return x >> 2, x & 3


def read(pattern):
    rows = []
    for path in sorted(glob.glob(pattern)):
        with open(path, newline="", encoding="utf-8") as f:
            r = csv.reader(f)
            header = next(r)
            rows.extend(r)
    return header, rows


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


clean_dir, dirty_dir = sys.argv[1:3]
cols, clean = read(os.path.join(clean_dir, "part-*.csv"))
dcols, data = read(os.path.join(dirty_dir, "part-*.csv"))
lcols, ledger = read(os.path.join(dirty_dir, "_dirty", "part-*.csv"))
manifest = json.load(open(os.path.join(dirty_dir, "_manifest.json")))
rates = manifest["dataset"]["dirty"]["rates"]

# A built-in profile's rates, as docs/dirty.md's table of profiles gives them.
profile = manifest["dataset"]["dirty"].get("profile")
doc = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "dirty.md"), encoding="utf-8").read()
lines = doc.splitlines()
start = next((i for i, l in enumerate(lines) if l.startswith("| profile |")), None)
if start is None:
    fail("docs/dirty.md has no table of the profiles' rates")
table = [lines[start]]
for l in lines[start + 2:]:
    if not l.startswith("| `"):
        break
    table.append(l)
doc_kinds = [c.strip() for c in table[0].strip("|").split("|")][1:]
documented = {}
for line in table[1:]:
    cells = [c.strip() for c in line.strip("|").split("|")]
    documented[cells[0].strip("`")] = {k: float(v.rstrip("%")) / 100 for k, v in zip(doc_kinds, cells[1:])}
if profile in documented:
    for kind, want in documented[profile].items():
        # a row kind has one rate; a cell kind one for each column it acts on
        got = {"rows": rates[kind]["rate"]} if "rate" in rates[kind] else rates[kind]["columns"]
        for where, g in got.items():
            if abs(g - want) > 1e-12:
                fail(f"{profile}'s {kind} rate ({where}) is {g:.4%}; docs/dirty.md says {want:.4%}")
if dcols != ["row_key"] + cols:
    fail(f"the dirty header is {dcols}")
if lcols != ["row_key", "column", "kind", "clean_value", "dirty_value", "duplicate_of"]:
    fail(f"the ledger header is {lcols}")
col = {c: i for i, c in enumerate(cols)}

cells = {}  # (key, column) -> ledger line
row_entries = defaultdict(list)
for e in ledger:
    if e[1]:
        if (e[0], e[1]) in cells:
            fail(f"the ledger names {e[0]} {e[1]} twice")
        cells[(e[0], e[1])] = e
    row_entries[e[0]].append(e)

seen = {}
originals = 0
for line in data:
    key = line[0]
    if len(key) != 16 or key in seen:
        fail(f"row key {key!r} is not 16 hex digits, or repeats")
    row, copy = key_row(int(key, 16))
    if row >= len(clean) or copy > 2:
        fail(f"row key {key} maps to row {row} copy {copy}, outside the dataset")
    seen[key] = (row, copy)
    originals += copy == 0
    want = clean[row]
    for c, name in enumerate(cols):
        got = line[c + 1]
        e = cells.get((key, name))
        if e:
            if e[3] != want[c] or e[4] != got:
                fail(f"{key} {name}: the ledger says {e[3]!r} -> {e[4]!r}; the clean data has {want[c]!r}, "
                     f"the dirty {got!r}")
        elif got != want[c]:
            fail(f"{key} {name} is {got!r}, clean {want[c]!r}, and the ledger says nothing of it")
    if copy:
        of = [e for e in row_entries[key] if e[2] in ("duplicate", "near_duplicate")]
        kind = "duplicate" if copy == 1 else "near_duplicate"
        if len(of) != 1 or of[0][2] != kind or key_row(int(of[0][5], 16)) != (row, 0):
            fail(f"copy {key} (row {row}, copy {copy}) has no {kind} line naming its row: {of}")
if originals != len(clean):
    fail(f"{originals} rows of the data are originals; the clean dataset has {len(clean)}")
if len(data) != manifest["dirty"]["rows_written"]:
    fail(f"{len(data)} lines of data; the manifest says {manifest['dirty']['rows_written']}")

# the rates, over the original rows' cells each kind can act on
counts = Counter()
for e in ledger:
    counts[(e[2], e[1] or "rows")] += 1
want_counts = {(k, c): n for k, by in manifest["dirty"]["counts"].items() for c, n in by.items()}
if dict(counts) != want_counts:
    fail(f"the manifest's counts differ from the ledger's: {sorted(set(counts.items()) ^ set(want_counts.items()))[:6]}")

hits = Counter()
for e in ledger:
    if not e[5]:
        hits[(e[2], e[1])] += 1
cat = col["playlist_category"]


def eligible(kind, name, value):
    if kind == "mojibake":
        return not value.isascii()
    if kind == "number_format" and "." not in value:
        return len(value.lstrip("-")) >= 4
    return True


def within(n, total, p, what):
    sd = math.sqrt(max(total * p * (1 - p), 1.0))
    if abs(n - total * p) > 5 * sd:
        fail(f"{what}: {n} of {total} ({n / max(total, 1):.4%}), rate {p:.4%}")


hit = Counter()  # (kind, column, category) of the original rows' cells
for (key, name), e in cells.items():
    if not e[5]:
        hit[(e[2], name, clean[seen[key][0]][cat])] += 1
rows_of = Counter(row[cat] for row in clean)
room = {}  # (kind, column) -> cells it can act on, by category
for kind in ("mojibake", "number_format"):
    for name in rates[kind]["columns"]:
        room[(kind, name)] = Counter(row[cat] for row in clean if eligible(kind, name, row[col[name]]))
checked = 0
for kind, r in rates.items():
    if kind in ("swap", "duplicate", "near_duplicate"):
        continue
    for name, p in r["columns"].items():
        factors = {w["category"]: w["factor"] for w in r["when"] if w["column"] == name}
        total = room.get((kind, name), rows_of)
        plain = [g for g in total if g not in factors]
        within(sum(hit[(kind, name, g)] for g in plain), sum(total[g] for g in plain), p, f"{kind} {name}")
        for g, f in factors.items():
            within(hit[(kind, name, g)], total[g], min(1.0, p * f), f"{kind} {name} in {g} playlists (factor {f})")
        checked += 1
for kind in ("duplicate", "near_duplicate"):
    n = sum(1 for k, (row, copy) in seen.items() if copy == (1 if kind == "duplicate" else 2))
    within(n, len(clean), rates[kind]["rate"], kind)
# swap: a row drawn at the rate exchanges two adjacent fields when both are
# clean and differ (and, typed, each fits the other's column): most rows
# drawn. Two ledger lines a swap; between 60% and 100% of the rate.
swaps = sum(1 for e in ledger if e[2] == "swap") // 2
p = rates["swap"]["rate"]
sd = math.sqrt(max(len(clean) * p * (1 - p), 1.0))
if swaps > len(clean) * p + 5 * sd or swaps < 0.6 * len(clean) * p - 5 * sd:
    fail(f"swap: {swaps} rows of {len(clean)} ({swaps / max(len(clean), 1):.4%}), rate {p:.4%}")
print(f"ok: {len(data)} lines ({len(data) - len(clean)} copies), {len(ledger)} ledger lines, "
      f"{checked} rates by kind and column within 5 sd")

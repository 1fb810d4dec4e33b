#!/usr/bin/env python3
"""A reference cleaning of spotgen's dirty data (generate --dirty), with pandas.

usage: clean_dirty.py DIRTY_DIR CLEANED.csv
then:  spotgen score CLEANED.csv --truth DIRTY_DIR

It reads every part of DIRTY_DIR as text (nothing guessed), repairs what can
be repaired from the value alone, removes the duplicates, fills what is
missing from the other rows of the same track or playlist, and writes one
CSV with the row_key column kept, as spotgen score needs. What it does, by
the kind of dirt (README, "Data to clean"):

- number_format: 0,6543 -> 0.6543 in the columns with decimals, 1,234,567 ->
  1234567 in the integer ones;
- bad_date: 2019/03/04, 04-03-2019 (day first, with '-') and 03/04/2019
  (month first, with '/') -> 2019-03-04; a year or a year and month alone
  becomes a null, filled from the track's other rows where it can be;
- whitespace: spaces around a name removed, doubled spaces made single;
- mojibake: text that reads back as UTF-8 once written as Windows-1252 is
  read back (CafÃ© -> Café);
- category_variant: lower case, and a misspelling to the nearest category;
- duplicate and near_duplicate: a row equal to an earlier one in every
  column but its track's name is removed, the first kept (a track is never
  twice in one playlist, so such rows are one row listed twice, whatever
  the re-listing did to the name);
- missing (NA, null, N/A, -, empty) and out_of_range values become nulls,
  then take the value most rows of the same track (for the track's
  attributes) or playlist (for the playlist's) agree on, when more than
  half of them agree;
- swap is not looked for (a swapped pair of a track's attributes is mended
  by the same majority, when there is one).
"""
import difflib
import glob
import os
import re
import sys

import pandas as pd

MISSING = {"", "NA", "null", "N/A", "-"}
CATEGORIES = ["workout", "sleep", "party", "chill", "focus"]
NAMES = ["track_name", "artist_name", "album_name", "playlist_name"]
DECIMALS = ["energy", "loudness", "danceability", "valence", "tempo", "acousticness",
            "instrumentalness", "speechiness", "liveness"]
INTEGERS = ["num_followers", "popularity_score", "duration_ms", "key", "mode", "time_signature"]
RANGES = {"popularity_score": (0, 100), "energy": (0, 1), "loudness": (-60, 0), "danceability": (0, 1),
          "valence": (0, 1), "tempo": (40, 220), "acousticness": (0, 1), "instrumentalness": (0, 1),
          "speechiness": (0, 1), "liveness": (0, 1), "duration_ms": (30000, 600000), "key": (0, 11),
          "mode": (0, 1), "time_signature": (2, 5), "num_followers": (0, 1e10)}
TRACK = ["track_name", "artist_name", "album_name", "release_date", "popularity_score"] + DECIMALS + \
        ["duration_ms", "key", "mode", "time_signature", "artist_id"]
PLAYLIST = ["playlist_name", "playlist_category", "num_followers"]

# Windows-1252's characters for bytes 0x80-0x9f (the rest of the byte range is Latin-1's).
CP1252 = {ch: b for b in range(0x80, 0xA0) for ch in [bytes([b]).decode("cp1252", "ignore")] if ch}


def unmojibake(s):
    """The text whose UTF-8 bytes, read as Windows-1252, gave s; s if none."""
    if s is None or s.isascii():
        return s
    raw = bytearray()
    for ch in s:
        o = ord(ch)
        if ch in CP1252:
            raw.append(CP1252[ch])
        elif o < 0x100:
            raw.append(o)
        else:
            return s
    try:
        t = raw.decode("utf-8")
    except UnicodeDecodeError:
        return s
    return t if t != s else s


def number(col, s):
    if s is None:
        return None
    if col in DECIMALS and re.fullmatch(r"-?\d+,\d+", s):
        s = s.replace(",", ".")
    elif col in INTEGERS and re.fullmatch(r"-?\d{1,3}(,\d{3})+", s):
        s = s.replace(",", "")
    try:
        v = float(s)
    except ValueError:
        return None
    lo, hi = RANGES[col]
    return s if lo <= v <= hi else None


def date(s):
    if s is None:
        return None
    for pattern, order in ((r"(\d{4})-(\d{2})-(\d{2})", "ymd"), (r"(\d{4})/(\d{2})/(\d{2})", "ymd"),
                           (r"(\d{2})-(\d{2})-(\d{4})", "dmy"), (r"(\d{2})/(\d{2})/(\d{4})", "mdy")):
        m = re.fullmatch(pattern, s)
        if m:
            parts = dict(zip(order, m.groups()))
            y, mo, d = int(parts["y"]), int(parts["m"]), int(parts["d"])
            return f"{y:04d}-{mo:02d}-{d:02d}" if 1900 <= y <= 2025 and 1 <= mo <= 12 and 1 <= d <= 31 else None
    return None  # a year, or a year and month: not a day


def category(s):
    if s is None:
        return None
    s = s.strip(" ").lower()
    return s if s in CATEGORIES else (difflib.get_close_matches(s, CATEGORIES, n=1, cutoff=0.6) or [None])[0]


def name(s):
    return None if s is None else re.sub(r" {2,}", " ", unmojibake(s).strip(" "))


def fill(df, by, columns):
    """Every cell of a group (rows with the same `by`) -> the value more than
    half of the group's rows that have one agree on, when there is one."""
    for col in columns:
        known = df[[by, col]].dropna()
        counts = known.groupby([by, col], sort=False).size().rename("n").reset_index()
        total = counts.groupby(by, sort=False)["n"].transform("sum")
        top = counts[counts["n"] * 2 > total].set_index(by)[col]
        agreed = df[by].map(top)
        df[col] = agreed.where(agreed.notna(), df[col])


def main(src, out):
    parts = sorted(glob.glob(os.path.join(src, "part-*.csv*")))
    if not parts:
        sys.exit(f"clean_dirty.py: no part-*.csv in {src}")
    df = pd.concat((pd.read_csv(p, dtype=str, keep_default_na=False) for p in parts), ignore_index=True)
    df = df.map(lambda v: None if v in MISSING else v) if hasattr(df, "map") else \
        df.applymap(lambda v: None if v in MISSING else v)
    for col in NAMES:
        df[col] = df[col].map(name)
    for col in DECIMALS + INTEGERS:
        df[col] = df[col].map(lambda s, c=col: number(c, s))
    df["release_date"] = df["release_date"].map(date)
    df["playlist_category"] = df["playlist_category"].map(category)

    # A track is never twice in one playlist, so two rows alike in every
    # column but the track's name are one row listed twice.
    df = df[~df.drop(columns=["row_key", "track_name"]).duplicated(keep="first")].copy()

    fill(df, "track_id", TRACK)
    fill(df, "playlist_id", PLAYLIST)
    df.to_csv(out, index=False, na_rep="")
    print(f"clean_dirty.py: {len(df):,} rows to {out}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    main(sys.argv[1], sys.argv[2])

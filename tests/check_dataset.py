#!/usr/bin/env python3
"""Reads a spotgen dataset back with Python's own csv module (a reader
independent of spotgen) and checks it against the schema and the manifest:
24 columns in order, types and ranges, entities consistent on every row,
one set of attributes per track id (a track recurs, never twice in a
playlist), part sizes and CRC-32s, and the manifest's statistics
recomputed from the values read."""
import csv, datetime, json, math, os, re, sys, zlib

COLUMNS = ["track_id", "track_name", "artist_name", "album_name", "release_date", "playlist_name",
           "playlist_category", "num_followers", "popularity_score", "energy", "loudness", "danceability",
           "valence", "tempo", "acousticness", "instrumentalness", "speechiness", "liveness", "duration_ms",
           "key", "mode", "time_signature", "artist_id", "playlist_id"]
RANGES = {"num_followers": (0, 1e10), "popularity_score": (0, 100), "energy": (0, 1), "loudness": (-60, 0),
          "danceability": (0, 1), "valence": (0, 1), "tempo": (40, 220), "acousticness": (0, 1),
          "instrumentalness": (0, 1), "speechiness": (0, 1), "liveness": (0, 1),
          "duration_ms": (30000, 600000), "key": (0, 11), "mode": (0, 1), "time_signature": (2, 5)}
INTS = {"num_followers", "popularity_score", "duration_ms", "key", "mode", "time_signature"}
DECIMALS = {"loudness": 3, "tempo": 3}
CATEGORIES = {"workout", "sleep", "party", "chill", "focus"}
ID = re.compile(r"^[0-9A-Za-z]{22}$")

def fail(msg):
    print("FAIL:", msg, file=sys.stderr)
    sys.exit(1)

def main(d):
    m = json.load(open(os.path.join(d, "_manifest.json")))
    if not os.path.exists(os.path.join(d, "_SUCCESS")):
        fail("no _SUCCESS")
    sums = {c: 0.0 for c in RANGES}
    mins = {c: math.inf for c in RANGES}
    maxs = {c: -math.inf for c in RANGES}
    cats = {c: 0 for c in CATEGORIES}
    playlists, artists, albums, tracks, pairs = {}, {}, {}, {}, set()
    PLAYLIST = ("track_id", "playlist_id", "playlist_name", "playlist_category", "num_followers")
    n = 0
    special = {"comma": 0, "quote": 0, "apostrophe": 0, "non-ascii": 0}
    for part in m["parts"]:
        path = os.path.join(d, part["key"])
        raw = open(path, "rb").read()
        if len(raw) != part["bytes"]:
            fail(f"{part['key']}: {len(raw)} bytes, manifest says {part['bytes']}")
        if "crc32:%08x" % zlib.crc32(raw) != part["checksum"]:
            fail(f"{part['key']}: checksum differs from the manifest")
        if not raw.endswith(b"\n") or b"\r" in raw:
            fail(f"{part['key']}: line ends must be \\n")
        rows = list(csv.reader(raw.decode("utf-8").splitlines(keepends=True), strict=True))
        if rows[0] != COLUMNS:
            fail(f"{part['key']}: header {rows[0]}")
        if len(rows) - 1 != part["rows"]:
            fail(f"{part['key']}: {len(rows) - 1} rows, manifest says {part['rows']}")
        for r in rows[1:]:
            if len(r) != 24:
                fail(f"row with {len(r)} fields: {r}")
            row = dict(zip(COLUMNS, r))
            n += 1
            for c in ("track_id", "artist_id", "playlist_id"):
                if not ID.match(row[c]):
                    fail(f"{c} {row[c]!r} is not 22 base62 characters")
            track = tuple(v for c, v in row.items() if c not in PLAYLIST)
            if tracks.setdefault(row["track_id"], track) != track:
                fail(f"track {row['track_id']} has two sets of attributes: {tracks[row['track_id']]} and {track}")
            if (row["playlist_id"], row["track_id"]) in pairs:
                fail(f"track {row['track_id']} twice in playlist {row['playlist_id']}")
            pairs.add((row["playlist_id"], row["track_id"]))
            date = datetime.date.fromisoformat(row["release_date"])
            if not datetime.date(2010, 1, 1) <= date <= datetime.date(2023, 12, 31):
                fail(f"release_date {date} outside 2010..2023")
            if row["playlist_category"] not in CATEGORIES:
                fail(f"category {row['playlist_category']!r}")
            cats[row["playlist_category"]] += 1
            for c, (lo, hi) in RANGES.items():
                v = int(row[c]) if c in INTS else float(row[c])
                if c not in INTS:
                    want = DECIMALS.get(c, 4)
                    if len(row[c].split(".")[1]) != want:
                        fail(f"{c} {row[c]!r}: expected {want} decimals")
                if not lo <= v <= hi:
                    fail(f"{c} = {v} outside {lo}..{hi}")
                sums[c] += v
                mins[c] = min(mins[c], v)
                maxs[c] = max(maxs[c], v)
            pl = (row["playlist_name"], row["playlist_category"], row["num_followers"])
            if playlists.setdefault(row["playlist_id"], pl) != pl:
                fail(f"playlist {row['playlist_id']} has two identities: {playlists[row['playlist_id']]} and {pl}")
            if artists.setdefault(row["artist_id"], row["artist_name"]) != row["artist_name"]:
                fail(f"artist {row['artist_id']} has two names")
            key = (row["artist_id"], row["album_name"])
            albums.setdefault(key, set()).add(row["release_date"])
            for name in (row["track_name"], row["artist_name"], row["album_name"], row["playlist_name"]):
                special["comma"] += "," in name
                special["quote"] += '"' in name
                special["apostrophe"] += "'" in name
                special["non-ascii"] += any(ord(ch) > 127 for ch in name)
    # One release date per album (artist, album name), as verify and the docs say.
    multi = sum(1 for v in albums.values() if len(v) > 1)
    if multi > 0:
        fail(f"{multi} of {len(albums)} (artist, album) pairs have several release dates")
    for k, v in special.items():
        if v == 0:
            fail(f"no name holds a {k}: the CSV writer is not exercised")
    if not len(tracks) < n:
        fail("no track recurs across playlists")
    st = m["stats"]
    if "tracks" in st and st["tracks"]["with_rows"] != len(tracks):
        fail(f"{len(tracks)} distinct tracks, manifest says {st['tracks']['with_rows']}")
    if st["rows"] != n or m["dataset"]["rows"] != n:
        fail(f"read {n} rows, manifest says {st['rows']}")
    for c in RANGES:
        got = st["columns"][c]
        mean = sums[c] / n
        if abs(got["mean"] - mean) > 1e-9 * max(1.0, abs(mean)):
            fail(f"{c}: manifest mean {got['mean']} but the data's is {mean}")
        if got["min"] != mins[c] or got["max"] != maxs[c]:
            fail(f"{c}: manifest min/max {got['min']}/{got['max']} but the data's are {mins[c]}/{maxs[c]}")
        if sum(got["histogram"]["counts"]) != n:
            fail(f"{c}: histogram does not count every row")
    for c in CATEGORIES:
        if st["categories"][c]["rows"] != cats[c]:
            fail(f"category {c}: manifest {st['categories'][c]['rows']} rows, data {cats[c]}")
    print(f"ok - {n} rows in {len(m['parts'])} parts read back with Python's csv module: types, ranges, "
          f"{len(playlists)} playlists, {len(artists)} artists, {len(tracks)} tracks consistent (a track "
          f"recurs, never twice in a playlist), manifest matches")

if __name__ == "__main__":
    main(sys.argv[1])

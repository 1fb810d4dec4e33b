"""The reference: the same 24 columns generated the way the original Python
script did it (numpy for the distributions, pandas for the table, to_csv in
chunks), to time spotgen against. Not used by spotgen or its tests.

usage: python3 bench/reference.py ROWS OUT.csv [CHUNK]"""
import sys
import time

import numpy as np
import pandas as pd

ADJ = ["Electric", "Golden", "Broken", "Silent", "Midnight", "Neon", "Lonely", "Wild", "Endless", "Velvet"]
NOUN = ["Heart", "Fire", "Rain", "Night", "Dream", "Ocean", "River", "Shadow", "Light", "Summer"]
FIRST = ["Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sofia", "Zoë", "José", "Björn"]
LAST = ["Smith", "Rivera", "Nguyen", "García", "Müller", "O'Connor", "Dvořák", "Kim", "Chen", "Singh"]
CATS = np.array(["workout", "sleep", "party", "chill", "focus"])
PROFILE = {  # energy, tempo, acousticness, danceability, valence
    "workout": (0.80, 130, 0.16, 0.64, 0.54), "sleep": (0.33, 109, 0.66, 0.45, 0.30),
    "party": (0.78, 122, 0.18, 0.72, 0.64), "chill": (0.55, 118, 0.50, 0.57, 0.48),
    "focus": (0.52, 119, 0.38, 0.49, 0.40)}
B62 = np.array(list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))


def ids(rng, n):
    chars = B62[rng.integers(0, 62, size=(n, 22))]
    return ["".join(r) for r in chars]


def beta(rng, mean, n, k=6.0):
    return rng.beta(mean * k, (1 - mean) * k, size=n)


def chunk(rng, n, artists, playlists):
    cat = CATS[rng.integers(0, 5, size=n)]
    prof = np.array([PROFILE[c] for c in cat])
    energy = np.clip(beta(rng, prof[:, 0], n), 0, 1)
    dance = np.clip(beta(rng, prof[:, 3], n), 0, 1)
    artist = np.minimum((artists * rng.random(n) ** 5).astype(int), artists - 1)
    playlist = rng.integers(0, playlists, size=n)
    df = pd.DataFrame({
        "track_id": ids(rng, n),
        "track_name": [f"{a} {b}" for a, b in zip(rng.choice(ADJ, n), rng.choice(NOUN, n))],
        "artist_name": [f"{FIRST[a % 10]} {LAST[(a // 10) % 10]}" for a in artist],
        "album_name": [f"{ADJ[a % 10]} {NOUN[(a // 7) % 10]}" for a in artist],
        "release_date": pd.to_datetime("2010-01-01") + pd.to_timedelta(
            (5113 * rng.random(n) ** 0.6).astype(int), unit="D"),
        "playlist_name": [f"{c.title()} Mix {p}" for c, p in zip(cat, playlist)],
        "playlist_category": cat,
        "num_followers": np.exp(np.log(400) + 2 * rng.standard_normal(n)).astype(np.int64) + 1,
        "popularity_score": np.clip(rng.gamma(4, 10, n), 0, 100).astype(int),
        "energy": energy.round(4),
        "loudness": np.clip(-14.5 + 10 * energy + 3.2 * rng.standard_normal(n), -60, 0).round(3),
        "danceability": dance.round(4),
        "valence": np.clip(0.5 * dance + beta(rng, prof[:, 4], n) * 0.5, 0, 1).round(4),
        "tempo": np.clip(rng.normal(prof[:, 1], 26), 40, 220).round(3),
        "acousticness": np.clip(beta(rng, prof[:, 2], n) - 0.2 * (energy - 0.6), 0, 1).round(4),
        "instrumentalness": rng.beta(0.15, 2.0, n).round(4),
        "speechiness": rng.beta(1.2, 14, n).round(4),
        "liveness": rng.beta(0.9, 4.5, n).round(4),
        "duration_ms": np.clip(rng.lognormal(np.log(205000), 0.25, n), 30000, 600000).astype(int),
        "key": rng.integers(0, 12, n),
        "mode": (rng.random(n) < 0.63).astype(int),
        "time_signature": rng.choice([2, 3, 4, 5], n, p=[0.01, 0.085, 0.88, 0.025]),
        "artist_id": [f"{a:022d}" for a in artist],
        "playlist_id": [f"{p:022d}" for p in playlist],
    })
    return df


def main():
    rows, out = int(sys.argv[1]), sys.argv[2]
    size = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
    rng = np.random.default_rng(42)
    t0 = time.time()
    done = 0
    while done < rows:
        n = min(size, rows - done)
        chunk(rng, n, max(100, rows // 200), max(10, rows // 50)).to_csv(
            out, mode="w" if done == 0 else "a", header=done == 0, index=False)
        done += n
    print(f"{rows} rows in {time.time() - t0:.2f} s")


main()

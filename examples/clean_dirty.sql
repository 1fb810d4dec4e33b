-- A reference cleaning of spotgen's dirty data (generate --dirty) in DuckDB SQL,
-- the way a data engineer would write it in the DuckDB CLI:
--
--   duckdb -cmd "SET VARIABLE dirty = 'data/dirty'; SET VARIABLE out = 'cleaned.csv';" < examples/clean_dirty.sql
--   spotgen score cleaned.csv --truth data/dirty
--
-- Everything is read as text. It mends what the value alone tells: comma
-- decimals and thousands separators, full dates in another order, spaces
-- around or doubled in a name, a category's case or a dropped letter; the
-- missing-value tokens and out-of-range numbers become nulls; a row that
-- repeats an earlier one in every column but the track's name is dropped (a
-- track is never twice in one playlist). It does not undo mojibake or fill
-- nulls from other rows (examples/clean_dirty.py does both).

CREATE OR REPLACE MACRO clean_missing(v) AS CASE WHEN v IN ('', 'NA', 'null', 'N/A', '-') THEN NULL ELSE v END;
CREATE OR REPLACE MACRO clean_name(v) AS regexp_replace(trim(clean_missing(v), ' '), ' {2,}', ' ', 'g');
-- 0,6543 -> 0.6543; a value outside [lo, hi] -> null
CREATE OR REPLACE MACRO clean_decimal(v, lo, hi) AS
  CASE WHEN TRY_CAST(replace(clean_missing(v), ',', '.') AS DOUBLE) BETWEEN lo AND hi
       THEN replace(clean_missing(v), ',', '.') END;
-- 1,234,567 -> 1234567
CREATE OR REPLACE MACRO clean_integer(v, lo, hi) AS
  CASE WHEN TRY_CAST(replace(clean_missing(v), ',', '') AS BIGINT) BETWEEN lo AND hi
       THEN replace(clean_missing(v), ',', '') END;
-- 2019/03/04, 04-03-2019 (day first), 03/04/2019 (month first) -> 2019-03-04; a year alone -> null
CREATE OR REPLACE MACRO clean_day(v) AS CASE
  WHEN regexp_full_match(v, '\d{4}-\d{2}-\d{2}') THEN v
  WHEN regexp_full_match(v, '\d{4}/\d{2}/\d{2}') THEN replace(v, '/', '-')
  WHEN regexp_full_match(v, '\d{2}-\d{2}-\d{4}') THEN v[7:10] || '-' || v[4:5] || '-' || v[1:2]
  WHEN regexp_full_match(v, '\d{2}/\d{2}/\d{4}') THEN v[7:10] || '-' || v[1:2] || '-' || v[4:5]
  END;
CREATE OR REPLACE MACRO clean_dated(v) AS
  CASE WHEN TRY_CAST(clean_day(v) AS DATE) BETWEEN DATE '1900-01-01' AND DATE '2025-12-31' THEN clean_day(v) END;
-- workout, Workout, WORKOUT, wrkout -> workout: the nearest category
CREATE OR REPLACE MACRO clean_category(v) AS (
  SELECT c FROM (VALUES ('workout'), ('sleep'), ('party'), ('chill'), ('focus')) t(c)
  WHERE clean_missing(v) IS NOT NULL AND levenshtein(lower(trim(v, ' ')), c) <= 1
  ORDER BY levenshtein(lower(trim(v, ' ')), c) LIMIT 1);

CREATE OR REPLACE TABLE dirty AS
  SELECT *, row_number() OVER () AS line
  FROM read_csv(getvariable('dirty') || '/part-*.csv*', all_varchar = true, header = true);

CREATE OR REPLACE TABLE cleaned AS SELECT
  row_key, clean_missing(track_id) AS track_id, clean_name(track_name) AS track_name,
  clean_name(artist_name) AS artist_name, clean_name(album_name) AS album_name, clean_dated(release_date) AS release_date,
  clean_name(playlist_name) AS playlist_name, clean_category(playlist_category) AS playlist_category,
  clean_integer(num_followers, 0, 10000000000) AS num_followers, clean_integer(popularity_score, 0, 100) AS popularity_score,
  clean_decimal(energy, 0, 1) AS energy, clean_decimal(loudness, -60, 0) AS loudness,
  clean_decimal(danceability, 0, 1) AS danceability, clean_decimal(valence, 0, 1) AS valence,
  clean_decimal(tempo, 40, 220) AS tempo, clean_decimal(acousticness, 0, 1) AS acousticness,
  clean_decimal(instrumentalness, 0, 1) AS instrumentalness, clean_decimal(speechiness, 0, 1) AS speechiness,
  clean_decimal(liveness, 0, 1) AS liveness, clean_integer(duration_ms, 30000, 600000) AS duration_ms,
  clean_integer(key, 0, 11) AS key, clean_integer(mode, 0, 1) AS mode, clean_integer(time_signature, 2, 5) AS time_signature,
  clean_missing(artist_id) AS artist_id, clean_missing(playlist_id) AS playlist_id, line
FROM dirty;

-- the first of the rows alike in every column but the track's name
COPY (
  SELECT * EXCLUDE (line) FROM cleaned
  QUALIFY row_number() OVER (
    PARTITION BY track_id, artist_name, album_name, release_date, playlist_name, playlist_category,
                 num_followers, popularity_score, energy, loudness, danceability, valence, tempo,
                 acousticness, instrumentalness, speechiness, liveness, duration_ms, key, mode,
                 time_signature, artist_id, playlist_id
    ORDER BY line) = 1
  ORDER BY line
) TO (getvariable('out')) (HEADER, DELIMITER ',');

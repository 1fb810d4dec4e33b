-- The Parquet table that jobs/emr/ingest.py writes, for Athena (with --table
-- on EMR the Glue Data Catalog has it already; this is for running without).
-- Columns and types are the manifest's Spark schema; playlist_category is
-- the partition column, so it comes last.
CREATE DATABASE IF NOT EXISTS spotify;

CREATE EXTERNAL TABLE IF NOT EXISTS spotify.tracks (
  `track_id` string,
  `track_name` string,
  `artist_name` string,
  `album_name` string,
  `release_date` date,
  `playlist_name` string,
  `num_followers` bigint,
  `popularity_score` int,
  `energy` double,
  `loudness` double,
  `danceability` double,
  `valence` double,
  `tempo` double,
  `acousticness` double,
  `instrumentalness` double,
  `speechiness` double,
  `liveness` double,
  `duration_ms` int,
  `key` int,
  `mode` int,
  `time_signature` int,
  `artist_id` string,
  `playlist_id` string
)
PARTITIONED BY (`playlist_category` string)
STORED AS PARQUET
LOCATION 's3://YOUR-BUCKET/tables/spotify_tracks/';

MSCK REPAIR TABLE spotify.tracks;

SELECT playlist_category, count(*) AS tracks, avg(energy) AS energy, avg(tempo) AS tempo
FROM spotify.tracks
GROUP BY playlist_category
ORDER BY tracks DESC;

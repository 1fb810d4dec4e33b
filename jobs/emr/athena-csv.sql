CREATE EXTERNAL TABLE IF NOT EXISTS spotify_tracks_csv (
  `track_id` string,
  `track_name` string,
  `artist_name` string,
  `album_name` string,
  `release_date` string,
  `playlist_name` string,
  `playlist_category` string,
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
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"', 'escapeChar' = '\\')
STORED AS TEXTFILE
LOCATION 's3://YOUR-BUCKET/spotify/YOUR-RUN/'
TBLPROPERTIES ('skip.header.line.count' = '1');

CREATE OR REPLACE VIEW spotify_tracks AS
SELECT
  `track_id`,
  `track_name`,
  `artist_name`,
  `album_name`,
  CAST(`release_date` AS date) AS `release_date`,
  `playlist_name`,
  `playlist_category`,
  `num_followers`,
  `popularity_score`,
  `energy`,
  `loudness`,
  `danceability`,
  `valence`,
  `tempo`,
  `acousticness`,
  `instrumentalness`,
  `speechiness`,
  `liveness`,
  `duration_ms`,
  `key`,
  `mode`,
  `time_signature`,
  `artist_id`,
  `playlist_id`
FROM spotify_tracks_csv;

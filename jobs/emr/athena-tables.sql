CREATE EXTERNAL TABLE IF NOT EXISTS spotify_artists_csv (
  `artist_id` string,
  `artist_name` string,
  `artist_genre` string,
  `artist_popularity` int,
  `artist_followers` bigint
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"', 'escapeChar' = '\\')
STORED AS TEXTFILE
LOCATION 's3://YOUR-BUCKET/spotify/YOUR-RUN/artists/'
TBLPROPERTIES ('skip.header.line.count' = '1');

CREATE OR REPLACE VIEW spotify_artists AS
SELECT
  `artist_id`,
  `artist_name`,
  `artist_genre`,
  `artist_popularity`,
  `artist_followers`
FROM spotify_artists_csv;

CREATE EXTERNAL TABLE IF NOT EXISTS spotify_albums_csv (
  `album_id` string,
  `artist_id` string,
  `album_name` string,
  `release_date` string
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"', 'escapeChar' = '\\')
STORED AS TEXTFILE
LOCATION 's3://YOUR-BUCKET/spotify/YOUR-RUN/albums/'
TBLPROPERTIES ('skip.header.line.count' = '1');

CREATE OR REPLACE VIEW spotify_albums AS
SELECT
  `album_id`,
  `artist_id`,
  `album_name`,
  CAST(`release_date` AS date) AS `release_date`
FROM spotify_albums_csv;

CREATE EXTERNAL TABLE IF NOT EXISTS spotify_tracks_csv (
  `track_id` string,
  `track_name` string,
  `artist_id` string,
  `album_id` string,
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
  `time_signature` int
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"', 'escapeChar' = '\\')
STORED AS TEXTFILE
LOCATION 's3://YOUR-BUCKET/spotify/YOUR-RUN/tracks/'
TBLPROPERTIES ('skip.header.line.count' = '1');

CREATE OR REPLACE VIEW spotify_tracks AS
SELECT
  `track_id`,
  `track_name`,
  `artist_id`,
  `album_id`,
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
  `time_signature`
FROM spotify_tracks_csv;

CREATE EXTERNAL TABLE IF NOT EXISTS spotify_playlists_csv (
  `playlist_id` string,
  `playlist_name` string,
  `playlist_category` string,
  `num_followers` bigint
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"', 'escapeChar' = '\\')
STORED AS TEXTFILE
LOCATION 's3://YOUR-BUCKET/spotify/YOUR-RUN/playlists/'
TBLPROPERTIES ('skip.header.line.count' = '1');

CREATE OR REPLACE VIEW spotify_playlists AS
SELECT
  `playlist_id`,
  `playlist_name`,
  `playlist_category`,
  `num_followers`
FROM spotify_playlists_csv;

CREATE EXTERNAL TABLE IF NOT EXISTS spotify_playlist_tracks_csv (
  `playlist_id` string,
  `position` int,
  `track_id` string
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"', 'escapeChar' = '\\')
STORED AS TEXTFILE
LOCATION 's3://YOUR-BUCKET/spotify/YOUR-RUN/playlist_tracks/'
TBLPROPERTIES ('skip.header.line.count' = '1');

CREATE OR REPLACE VIEW spotify_playlist_tracks AS
SELECT
  `playlist_id`,
  `position`,
  `track_id`
FROM spotify_playlist_tracks_csv;

-- The flat rows again, from the five tables (with each row's position).
CREATE OR REPLACE VIEW spotify_joined AS
SELECT t.track_id, t.track_name, ar.artist_name, al.album_name, al.release_date,
       p.playlist_name, p.playlist_category, p.num_followers, t.popularity_score,
       t.energy, t.loudness, t.danceability, t.valence, t.tempo, t.acousticness,
       t.instrumentalness, t.speechiness, t.liveness, t.duration_ms, t.key, t.mode,
       t.time_signature, t.artist_id, p.playlist_id, pt.position
FROM spotify_playlist_tracks pt
JOIN spotify_playlists p ON pt.playlist_id = p.playlist_id
JOIN spotify_tracks t ON pt.track_id = t.track_id
JOIN spotify_artists ar ON t.artist_id = ar.artist_id
JOIN spotify_albums al ON t.album_id = al.album_id;

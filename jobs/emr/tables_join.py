"""Join a spotgen --tables dataset back into the flat rows with Spark (EMR),
and answer the questions the linked tables are for.

    spark-submit jobs/emr/tables_join.py --input s3://BUCKET/spotify/tables-run/ \
        [--output s3://BUCKET/tables/spotify_joined/]

What it does, in order:
  1. refuses a dataset without _SUCCESS, or one written without --tables;
  2. reads each table's parts as the manifest lists them, typed by the
     manifest's `tables` section (no inference); with --table-format
     iceberg, each table as the Iceberg table it is (its location, by
     Iceberg's Spark runtime);
  3. checks every table's row count against the manifest;
  4. joins playlist_tracks x playlists x tracks x artists x albums into the
     24 columns of the flat dataset plus each row's position in its playlist
     (the same rows as `spotgen generate` without --tables, same seed and rows);
  5. prints the ten most playlisted tracks and the rows per track's
     distribution (the join skew a Spark job meets: a hit is in thousands of
     playlists), and with --output writes the joined rows as Parquet.
Exit status: 0 on success, 1 when the data does not match its manifest.
"""
import argparse
import json
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StructField, StructType
from pyspark.sql.types import DateType, DoubleType, IntegerType, LongType, StringType

SPARK_TYPES = {"string": StringType(), "date": DateType(), "long": LongType(),
               "integer": IntegerType(), "double": DoubleType()}
TABLES = ["artists", "albums", "tracks", "playlists", "playlist_tracks"]


def read_text(spark, url):
    return "\n".join(r.value for r in spark.read.text(url, wholetext=True).collect())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", required=True, help="the dataset's prefix, ending in /")
    ap.add_argument("--output", help="write the joined rows here as Parquet")
    args = ap.parse_args()
    prefix = args.input if args.input.endswith("/") else args.input + "/"
    spark = SparkSession.builder.appName("spotgen-tables-join").getOrCreate()

    jvm = spark.sparkContext._jvm
    success = jvm.org.apache.hadoop.fs.Path(prefix + "_SUCCESS")
    if not success.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).exists(success):
        sys.exit(f"tables_join: {prefix} has no _SUCCESS: the run that wrote it did not finish")
    manifest = json.loads(read_text(spark, prefix + "_manifest.json"))
    if "tables" not in manifest:
        sys.exit(f"tables_join: {prefix} is a flat dataset; write it with spotgen generate --tables")
    fmt = manifest["dataset"]["format"]

    frames = {}
    for name in TABLES:
        t = manifest["tables"][name]
        schema = StructType([StructField(c["name"], SPARK_TYPES[c["type"]], False) for c in t["columns"]])
        paths = [prefix + p["key"] for p in manifest["parts"] if p["key"].startswith(name + "/")]
        reader = spark.read.schema(schema)
        iceberg = {i["table"]: i["location"] for i in manifest.get("iceberg", [])}
        if name in iceberg:
            df = spark.read.format("iceberg").load(iceberg[name]).select(*schema.fieldNames())
        else:
            df = (reader.parquet(*paths) if fmt == "parquet" else
                  reader.option("header", True).option("escape", '"').option("mode", "FAILFAST").csv(paths))
        got = df.count()
        if got != t["rows"]:
            print(f"tables_join: {name} has {got} rows; the manifest says {t['rows']}", file=sys.stderr)
            return 1
        frames[name] = df

    tr, ar, al = frames["tracks"], frames["artists"], frames["albums"]
    flat_columns = [f["name"] for f in manifest["schema"]["spark"]["fields"]]
    joined = (frames["playlist_tracks"]
              .join(frames["playlists"], "playlist_id")
              .join(tr, "track_id")
              .join(ar, "artist_id")
              .join(al.drop("artist_id"), "album_id")
              .select(*flat_columns, "position"))
    rows = joined.count()
    if rows != manifest["dataset"]["rows"]:
        print(f"tables_join: the join has {rows} rows; the dataset {manifest['dataset']['rows']}", file=sys.stderr)
        return 1

    per_track = frames["playlist_tracks"].groupBy("track_id").count()
    (per_track.join(tr.select("track_id", "track_name", "popularity_score"), "track_id")
     .orderBy(F.desc("count")).show(10, truncate=False))
    per_track.select(F.expr("percentile_approx(count, array(0.5, 0.9, 0.99, 1.0))").alias(
        "rows per track: median, 90th, 99th percentile, most")).show(truncate=False)
    if args.output:
        joined.write.mode("overwrite").parquet(args.output)
    print(f"tables_join: {rows} rows joined from the five tables of {prefix}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

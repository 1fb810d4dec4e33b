"""Ingest a spotgen dataset into a partitioned Parquet table with Spark (EMR).

    spark-submit jobs/emr/ingest.py --input s3://BUCKET/spotify/job-123/ \
        --output s3://BUCKET/tables/spotify_tracks/ [--table spotify.tracks]

What it does, in order:
  1. refuses a dataset without _SUCCESS (an interrupted run);
  2. reads _manifest.json and takes the schema from it (no schema inference:
     inference reads the data twice and guesses types, e.g. release_date);
  3. reads exactly the part files the manifest lists: CSV with a header and
     RFC 4180 quoting ("" inside quotes), failing on any malformed row
     (csv.gz and csv.zst parts are decompressed by Spark from their
     extension; zstd needs Hadoop's native zstd, as on EMR 6 and later),
     or Parquet, with the same schema; a dataset written with
     --partition-by is read with Spark's partition discovery (basePath:
     the col=value folders become its partition columns, typed by the
     schema, at its end); a dataset written with --table-format iceberg
     is read as the Iceberg table it is (spark.read.format("iceberg") of
     its location, which needs Iceberg's Spark runtime: on EMR 6.5+, the
     iceberg-defaults classification, iceberg.enabled true);
  4. checks the row count, and the rows per playlist_category, against the
     manifest's statistics;
  5. writes Parquet partitioned by playlist_category, and with --table
     registers it in the metastore (on EMR, the Glue Data Catalog, so Athena
     sees it too).
Exit status: 0 on success, 1 when the data does not match its manifest.
"""
import argparse
import json
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StructType


def hadoop_path(spark, url):
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(url)
    return path, path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())


def read_manifest(spark, prefix):
    success, fs = hadoop_path(spark, prefix + "_SUCCESS")
    if not fs.exists(success):
        raise SystemExit(f"ingest: {prefix} has no _SUCCESS: the run that wrote it did not finish; "
                         "re-run the generator (its job script is safe to re-run)")
    text = spark.read.text(prefix + "_manifest.json", wholetext=True).first()[0]
    return json.loads(text)


def partitioned_schema(manifest):
    """The schema of a dataset written with --partition-by, as Spark's
    partition discovery reads it: the columns its files hold, then the
    partition columns its folders name (an identity partition's column moves
    there; a date's year is an int, its month a yyyy-MM string)."""
    fields = manifest["schema"]["spark"]["fields"]
    spec = manifest["dataset"].get("partition_by")
    if not spec:
        return StructType.fromJson(manifest["schema"]["spark"])
    parts = []
    for s in spec.split(","):
        column, _, transform = s.partition(":")
        if not transform:
            parts.append(next(f for f in fields if f["name"] == column))
        else:
            stem = column[:-5] if column.endswith("_date") else column
            parts.append({"name": f"{stem}_{transform}", "type": "integer" if transform == "year" else "string",
                          "nullable": True, "metadata": {}})
    names = {p["name"] for p in parts}
    return StructType.fromJson({"type": "struct", "fields": [f for f in fields if f["name"] not in names] + parts})


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", required=True, help="the dataset: s3://bucket/prefix/ (or a directory)")
    ap.add_argument("--output", required=True, help="where the Parquet table goes")
    ap.add_argument("--table", help="register the table under this name (database.table)")
    ap.add_argument("--mode", default="overwrite", choices=["overwrite", "errorifexists"])
    ap.add_argument("--codec", default="snappy", choices=["snappy", "zstd", "gzip"])
    args = ap.parse_args(argv)
    prefix = args.input if args.input.endswith("/") else args.input + "/"

    spark = SparkSession.builder.appName("spotgen-ingest").getOrCreate()
    manifest = read_manifest(spark, prefix)
    dataset = manifest["dataset"]
    schema = partitioned_schema(manifest)
    parts = [prefix + p["key"] for p in manifest["parts"]]
    fmt = dataset.get("format", "csv")
    reader = spark.read.schema(schema).option("basePath", prefix)  # col=value folders: partition columns
    if dataset.get("table_format") == "iceberg":
        # the table's own metadata lists its files, partitions and bounds; its location is the manifest's
        location = manifest["iceberg"][0]["location"]
        df = spark.read.format("iceberg").load(location).cache()
    elif fmt == "parquet":
        df = reader.parquet(*parts).cache()
    elif fmt == "csv":
        df = (reader
              .option("header", True)
              .option("quote", '"')
              .option("escape", '"')          # RFC 4180: a quote inside quotes is doubled
              .option("dateFormat", "yyyy-MM-dd")
              .option("mode", "FAILFAST")     # a malformed row fails the job, not a silent null
              .option("encoding", "UTF-8")
              .csv(parts)
              .cache())
    else:
        raise SystemExit(f"ingest: this script reads csv and parquet datasets; this one is {fmt}")

    # The manifest's counts, against what Spark read.
    problems = []
    rows = df.count()
    if rows != dataset["rows"]:
        problems.append(f"rows: read {rows:,}, the manifest says {dataset['rows']:,}")
    want = {k: v["rows"] for k, v in manifest["stats"]["categories"].items()}
    got = {r["playlist_category"]: r["count"] for r in df.groupBy("playlist_category").count().collect()}
    for category in sorted(set(want) | set(got)):
        if want.get(category, 0) != got.get(category, 0):
            problems.append(f"{category}: read {got.get(category, 0):,} rows, "
                            f"the manifest says {want.get(category, 0):,}")
    if problems:
        for p in problems:
            print("ingest: " + p, file=sys.stderr)
        return 1

    writer = (df.repartition("playlist_category")
              .write.mode(args.mode)
              .option("compression", args.codec)
              .partitionBy("playlist_category"))
    if args.table:
        writer.option("path", args.output).saveAsTable(args.table)
    else:
        writer.parquet(args.output)
    print(f"ingest: {rows:,} rows in {len(parts)} parts -> {args.output}"
          f" (Parquet, partitioned by playlist_category{', table ' + args.table if args.table else ''})")
    stats = df.agg(F.avg("energy").alias("energy"), F.avg("tempo").alias("tempo")).first()
    print(f"ingest: mean energy {stats['energy']:.4f} (manifest {manifest['stats']['columns']['energy']['mean']:.4f}), "
          f"mean tempo {stats['tempo']:.3f} (manifest {manifest['stats']['columns']['tempo']['mean']:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

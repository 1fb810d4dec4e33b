#!/usr/bin/env bash
# The cluster and data-lake files, each checked by a real parser:
# terraform/*.tf by @cdktf/hcl2json with the security properties (and the
# check fails on a copy with an open ingress, a wildcard action or no abort
# rule); jobs/parallelcluster/cluster.yaml by PyYAML, with EFA, a placement
# group, shared storage and S3 write access limited to the output prefix;
# jobs/emr/ingest.py compiles, the EMR step runs it, the Athena DDL is what
# `spotgen schema --ddl` prints and the Parquet table's columns are the
# manifest's; and a dataset written by 2 ranks read the way Spark reads a
# directory (DuckDB, the manifest's schema, `_` files skipped) agrees with
# its manifest. The sbatch scripts parse (bash -n); e2e_slurm runs them.
source "$(dirname "$0")/lib.sh"
REPO=$(cd "$TESTS/.." && pwd)
NODE=$TESTS/node
[ -d "$NODE/node_modules/@cdktf/hcl2json" ] && [ -d "$NODE/node_modules/@duckdb/node-api" ] ||
  fail "the test's npm packages are missing: run 'npm ci --prefix tests/node' (scripts/test.sh does)"

# --- Terraform ---------------------------------------------------------------------
node "$NODE/terraform_check.mjs" "$REPO/terraform" || fail "terraform/ does not pass its checks"
# The check can fail: three broken copies, each must be refused.
breaks=(
  's|cidr_ipv4         = var.admin_cidr|cidr_ipv4         = "0.0.0.0/0"|'
  's|"s3:GetObject",|"s3:*",|'
  's|days_after_initiation = 1|days_after_initiation = 7|'
)
for b in "${breaks[@]}"; do
  rm -rf "$WORK/tf" && cp -r "$REPO/terraform" "$WORK/tf"
  sed -i "$b" "$WORK"/tf/*.tf
  ! cmp -s <(cat "$REPO"/terraform/*.tf) <(cat "$WORK"/tf/*.tf) || fail "the edit '$b' changed nothing"
  if node "$NODE/terraform_check.mjs" "$WORK/tf" 2>"$WORK/tf.err"; then
    fail "terraform check passed a copy edited with '$b'"
  fi
done
pass "terraform/: every .tf parses; public access blocked, encryption, abort rule, no wildcard IAM, no open ingress (and broken copies fail)"

# --- ParallelCluster --------------------------------------------------------------
PY=python3 # the one with PyYAML: the machine's, or Debian's with python3-yaml
python3 -c 'import yaml' 2>/dev/null || PY=/usr/bin/python3
"$PY" -c 'import yaml' 2>/dev/null || fail "PyYAML is missing: install python3-yaml (scripts/test.sh does)"
"$PY" - "$REPO/jobs/parallelcluster/cluster.yaml" <<'PY' || fail "cluster.yaml does not pass its checks"
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
problems = []
def want(ok, msg):
    if not ok:
        problems.append(msg)
for key in ("Region", "Image", "HeadNode", "Scheduling", "SharedStorage"):
    want(key in c, f"no {key} section")
head = c.get("HeadNode", {})
want(head.get("InstanceType"), "HeadNode has no InstanceType")
want(head.get("Networking", {}).get("SubnetId"), "HeadNode has no SubnetId")
want(head.get("Ssh", {}).get("KeyName"), "HeadNode has no Ssh KeyName")
sched = c.get("Scheduling", {})
want(sched.get("Scheduler") == "slurm", "the scheduler is not slurm")
queues = sched.get("SlurmQueues", [])
want(queues, "no SlurmQueues")
buckets = set()
for q in queues:
    want(q.get("Networking", {}).get("PlacementGroup", {}).get("Enabled") is True, f"queue {q.get('Name')}: no placement group")
    want(q.get("Networking", {}).get("SubnetIds"), f"queue {q.get('Name')}: no SubnetIds")
    for cr in q.get("ComputeResources", []):
        want(cr.get("Efa", {}).get("Enabled") is True, f"{cr.get('Name')}: EFA not enabled")
        types = [i["InstanceType"] for i in cr.get("Instances", [])] or [cr.get("InstanceType", "")]
        want(all(t.startswith("c") for t in types), f"{cr.get('Name')}: {types} are not compute-optimised")
    access = q.get("Iam", {}).get("S3Access", [])
    writes = [a for a in access if a.get("EnableWriteAccess")]
    want(writes, f"queue {q.get('Name')}: no S3 write access for the output")
    for a in writes:
        want(a.get("KeyName") not in (None, "*", "/*"), f"queue {q.get('Name')}: write access to all of {a['BucketName']}")
        want("*" not in a["BucketName"], f"queue {q.get('Name')}: write access to buckets {a['BucketName']}")
        buckets.add(a["BucketName"])
want(len(buckets) == 1, f"write access to several buckets: {sorted(buckets)}")
for a in head.get("Iam", {}).get("S3Access", []):
    want(not a.get("EnableWriteAccess"), "the head node can write to S3")
want(any(s.get("MountDir") for s in c.get("SharedStorage", [])), "no shared storage mount")
for p in problems:
    print("cluster.yaml: " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
bash -n "$REPO/jobs/parallelcluster/node-setup.sh" || fail "node-setup.sh does not parse"
pass "cluster.yaml: YAML; head node, Slurm queue with EFA and a placement group, shared storage, S3 writes limited to one bucket's prefix"

# --- Slurm scripts parse -------------------------------------------------------------
for s in "$REPO"/jobs/slurm/*.sbatch; do bash -n "$s" || fail "$s does not parse"; done
pass "jobs/slurm/*.sbatch parse"

# --- EMR / Athena ------------------------------------------------------------------
PYTHONPYCACHEPREFIX="$WORK/pyc" python3 -m py_compile "$REPO/jobs/emr/ingest.py" 2>"$WORK/pyc.err" || fail "ingest.py: $(cat "$WORK/pyc.err")"
python3 - "$REPO/jobs/emr/step.json" <<'PY' || fail "step.json is not an EMR step running ingest.py"
import json, sys
steps = json.load(open(sys.argv[1]))
assert isinstance(steps, list) and steps, "not a list of steps"
s = steps[0]
assert s["Type"] == "Spark" and s["ActionOnFailure"] in ("CONTINUE", "CANCEL_AND_WAIT", "TERMINATE_CLUSTER")
args = s["Args"]
assert any(a.endswith("/ingest.py") for a in args), args
assert "--input" in args and "--output" in args, args
PY
"$SPOTGEN" schema --ddl --location s3://YOUR-BUCKET/spotify/YOUR-RUN/ >"$WORK/ddl.sql"
cmp -s "$WORK/ddl.sql" "$REPO/jobs/emr/athena-csv.sql" ||
  fail "jobs/emr/athena-csv.sql is not what 'spotgen schema --ddl --location s3://YOUR-BUCKET/spotify/YOUR-RUN/' prints now: $(diff "$WORK/ddl.sql" "$REPO/jobs/emr/athena-csv.sql" | head -5)"
"$SPOTGEN" schema --ddl --tables --location s3://YOUR-BUCKET/spotify/YOUR-RUN/ >"$WORK/ddl-tables.sql"
head -c "$(wc -c <"$WORK/ddl-tables.sql")" "$REPO/jobs/emr/athena-tables.sql" | cmp -s - "$WORK/ddl-tables.sql" ||
  fail "jobs/emr/athena-tables.sql does not start with what 'spotgen schema --ddl --tables --location s3://YOUR-BUCKET/spotify/YOUR-RUN/' prints now"
PYTHONPYCACHEPREFIX="$WORK/pyc" python3 -m py_compile "$REPO/jobs/emr/tables_join.py" 2>"$WORK/pyc.err" || fail "tables_join.py: $(cat "$WORK/pyc.err")"
"$SPOTGEN" schema >"$WORK/spark.json"
python3 - "$WORK/spark.json" "$REPO/jobs/emr/athena-parquet.sql" <<'PY' || fail "athena-parquet.sql does not match the schema"
import json, re, sys
fields = json.load(open(sys.argv[1]))["fields"]
athena = {"string": "string", "date": "date", "long": "bigint", "integer": "int", "double": "double"}
want = [(f["name"], athena[f["type"]]) for f in fields if f["name"] != "playlist_category"]
ddl = open(sys.argv[2]).read()
body = ddl[ddl.index("CREATE EXTERNAL TABLE"):ddl.index("PARTITIONED BY")]
got = re.findall(r"`(\w+)` (\w+)", body)
assert got == want, (got, want)
assert re.search(r"PARTITIONED BY \(`playlist_category` string\)", ddl)
assert "STORED AS PARQUET" in ddl
PY
pass "EMR: ingest.py compiles, step.json runs it, athena-csv.sql is spotgen's DDL, athena-parquet.sql has the schema's columns"

# --- read the way Spark reads a directory ---------------------------------------------
run_np 2 generate --rows 300000 --rows-per-part 100000 --out "$WORK/ds" --no-progress 2>/dev/null
node "$NODE/spark_style_read.mjs" "$WORK/ds" || fail "a Spark-style read disagrees with the manifest"
pass "DuckDB reads the directory as Spark would (manifest schema, header, _ files skipped): counts and aggregates equal the manifest's"

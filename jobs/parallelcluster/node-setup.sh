#!/bin/bash
# OnNodeConfigured action for jobs/parallelcluster/cluster.yaml: installs
# spotgen's Debian package on every node, head and compute. The package's
# Depends, which apt-get brings from the distribution's archive, are the
# libraries the binary loads (found by dpkg-shlibdeps when it was built) and
# the "run" line of scripts/packages.txt (mpirun): nothing is listed here.
#
# Argument (Args in cluster.yaml): the S3 folder holding the package; the
# newest spotgen_VERSION_amd64.deb there is installed. Build the package on
# the nodes' distribution (Ubuntu 22.04 for cluster.yaml) and upload both:
#   scripts/package.sh
#   aws s3 cp build-deb/spotgen_*_amd64.deb s3://BUCKET/setup/
#   aws s3 cp jobs/parallelcluster/node-setup.sh s3://BUCKET/setup/
# ParallelCluster runs this as root, with the node's instance role, once the
# node has joined the cluster. SPOTGEN_AWS is the AWS CLI command (default aws).
set -euo pipefail
setup=${1:?usage: node-setup.sh s3://BUCKET/setup (the S3 folder holding spotgen_VERSION_amd64.deb)}
setup=${setup%/}
read -ra aws <<<"${SPOTGEN_AWS:-aws}"

case $setup in
  s3://*/*) bucket=${setup#s3://}; prefix=${bucket#*/}; bucket=${bucket%%/*} ;;
  *) echo "node-setup.sh: '$setup' is not an S3 folder like s3://BUCKET/setup" >&2; exit 2 ;;
esac
# The folder's packages: keys under the prefix, asked without its trailing
# '/' (moto, which the tests use, misreads an encoded '/' in a query:
# getmoto/moto#5948), then only the folder's own spotgen_VERSION_amd64.deb.
deb=$("${aws[@]}" s3api list-objects-v2 --bucket "$bucket" --prefix "$prefix" --query 'Contents[].Key' --output text |
      tr '\t' '\n' | sed -n "s|^$prefix/\(spotgen_[0-9][^_/]*_amd64\.deb\)\$|\1|p" | sort -V | tail -n 1)
if [ -z "$deb" ]; then
  echo "node-setup.sh: no spotgen_VERSION_amd64.deb in $setup/; build one with scripts/package.sh on the nodes' distribution and upload it there (jobs/parallelcluster/README.md)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # apt reads the package as its own user
"${aws[@]}" s3 cp --only-show-errors "$setup/$deb" "$tmp/$deb"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "$tmp/$deb" >/dev/null
echo "node-setup.sh: installed $(spotgen --version) from $setup/$deb"

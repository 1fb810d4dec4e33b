#!/bin/bash
# OnNodeConfigured action for jobs/parallelcluster/cluster.yaml (Ubuntu 22.04
# nodes). Every node gets the shared libraries spotgen links against; the head
# node also gets what building it takes. Upload it next to the data:
#   aws s3 cp jobs/parallelcluster/node-setup.sh s3://BUCKET/setup/node-setup.sh
# ParallelCluster runs it as root once the node has joined the cluster.
set -euo pipefail
node_type=$(. /etc/parallelcluster/cfnconfig && echo "${cfn_node_type:-}")
packages=(libcjson1 libcurl4 libzstd1 libssl3 zlib1g)
if [ "$node_type" = HeadNode ]; then
  packages+=(build-essential cmake pkg-config git libcjson-dev libcurl4-openssl-dev libzstd-dev
             libssl-dev zlib1g-dev)
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}"

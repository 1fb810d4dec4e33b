# The cluster: EC2 instances in a cluster placement group (one rack's worth of
# low-latency network), in a VPC of their own. The security group lets the
# nodes reach each other on every port (Open MPI picks its ports at run time)
# and admits SSH from admin_cidr only; nothing is open to the internet.
data "aws_availability_zones" "here" {
  state = "available"
}

data "aws_ami" "debian12" {
  most_recent = true
  owners      = ["136693071363"] # Debian's official AWS account
  filter {
    name   = "name"
    values = ["debian-12-amd64-*"]
  }
  filter {
    name   = "architecture"
    values = ["x86_64"]
  }
}

resource "aws_vpc" "cluster" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags = {
    Name = "spotgen"
  }
}

resource "aws_subnet" "cluster" {
  vpc_id                  = aws_vpc.cluster.id
  cidr_block              = cidrsubnet(var.vpc_cidr, 8, 1)
  availability_zone       = var.availability_zone != "" ? var.availability_zone : data.aws_availability_zones.here.names[0]
  map_public_ip_on_launch = true
  tags = {
    Name = "spotgen"
  }
}

resource "aws_internet_gateway" "cluster" {
  vpc_id = aws_vpc.cluster.id
}

resource "aws_route_table" "cluster" {
  vpc_id = aws_vpc.cluster.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.cluster.id
  }
}

resource "aws_route_table_association" "cluster" {
  subnet_id      = aws_subnet.cluster.id
  route_table_id = aws_route_table.cluster.id
}

# S3 traffic stays on AWS's network and costs no NAT or internet transfer.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.cluster.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.cluster.id]
}

resource "aws_security_group" "cluster" {
  name_prefix = "spotgen-"
  description = "spotgen nodes: each other on every port, SSH from admin_cidr"
  vpc_id      = aws_vpc.cluster.id
}

resource "aws_vpc_security_group_ingress_rule" "from_each_other" {
  security_group_id            = aws_security_group.cluster.id
  description                  = "MPI and SSH between the nodes"
  ip_protocol                  = "-1"
  referenced_security_group_id = aws_security_group.cluster.id
}

resource "aws_vpc_security_group_ingress_rule" "ssh_from_admin" {
  security_group_id = aws_security_group.cluster.id
  description       = "SSH from the administrator's network"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = var.admin_cidr
}

resource "aws_vpc_security_group_egress_rule" "out" {
  security_group_id = aws_security_group.cluster.id
  description       = "Debian's archive, git, S3 and AWS APIs"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_placement_group" "cluster" {
  name_prefix = "spotgen-"
  strategy    = "cluster"
}

# The key the nodes use to start MPI ranks on each other (Open MPI launches
# over SSH). It is generated here and kept in the Terraform state: keep the
# state private (an encrypted S3 backend), as for any state with secrets.
resource "tls_private_key" "mpi" {
  algorithm = "ED25519"
}

resource "aws_instance" "node" {
  count                       = var.node_count
  ami                         = data.aws_ami.debian12.id
  instance_type               = var.instance_type
  subnet_id                   = aws_subnet.cluster.id
  vpc_security_group_ids      = [aws_security_group.cluster.id]
  placement_group             = aws_placement_group.cluster.id
  iam_instance_profile        = aws_iam_instance_profile.node.name
  key_name                    = var.key_name
  associate_public_ip_address = true

  metadata_options {
    http_tokens                 = "required" # IMDSv2 only; spotgen's credential chain uses it
    http_put_response_hop_limit = 1
  }

  root_block_device {
    volume_type = "gp3"
    volume_size = 30
    encrypted   = true
  }

  user_data = templatefile("${path.module}/node-init.sh.tftpl", {
    git_url     = var.spotgen_git_url
    git_ref     = var.spotgen_git_ref
    mpi_private = tls_private_key.mpi.private_key_openssh
    mpi_public  = tls_private_key.mpi.public_key_openssh
    vpc_cidr    = var.vpc_cidr
    region      = var.region
  })
  user_data_replace_on_change = true

  tags = {
    Name = "spotgen-${count.index}"
  }
}

data "aws_ec2_instance_type" "node" {
  instance_type = var.instance_type
}

locals {
  slots = data.aws_ec2_instance_type.node.default_cores # one rank per physical core
}

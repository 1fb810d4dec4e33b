variable "region" {
  description = "AWS region for the bucket and the cluster."
  type        = string
  default     = "us-east-1"
}

variable "bucket_name" {
  description = "Name of the S3 bucket for the datasets; empty: spotgen-data-<account id>."
  type        = string
  default     = ""
}

variable "data_prefix" {
  description = "Prefix under which spotgen writes datasets; the nodes can write nowhere else."
  type        = string
  default     = "spotify"
  validation {
    condition     = can(regex("^[A-Za-z0-9._-]+$", var.data_prefix))
    error_message = "data_prefix must be one path segment of letters, digits, '.', '_' or '-'."
  }
}

variable "node_count" {
  description = "Number of EC2 instances in the cluster placement group (0: bucket and IAM only)."
  type        = number
  default     = 2
  validation {
    condition     = var.node_count >= 0 && var.node_count <= 64
    error_message = "node_count must be between 0 and 64."
  }
}

variable "instance_type" {
  description = "Compute-optimised instance type with enhanced networking."
  type        = string
  default     = "c6in.8xlarge"
}

variable "availability_zone" {
  description = "Availability Zone of the subnet (a cluster placement group lives in one); empty: the region's first."
  type        = string
  default     = ""
}

variable "vpc_cidr" {
  description = "Address range of the cluster's VPC."
  type        = string
  default     = "10.42.0.0/16"
}

variable "admin_cidr" {
  description = "The one address range allowed to SSH to the nodes, e.g. your office's public /32."
  type        = string
  validation {
    condition     = can(cidrhost(var.admin_cidr, 0)) && var.admin_cidr != "0.0.0.0/0" && var.admin_cidr != "::/0"
    error_message = "admin_cidr must be a CIDR block narrower than the whole internet (e.g. 203.0.113.7/32)."
  }
}

variable "key_name" {
  description = "Name of an existing EC2 key pair for your SSH access to the nodes."
  type        = string
}

variable "spotgen_git_url" {
  description = "Git URL the nodes clone spotgen from (build happens on each node at boot)."
  type        = string
  default     = "https://github.com/YOUR-ORG/spotgen.git"
}

variable "spotgen_git_ref" {
  description = "Branch, tag or commit of spotgen to build."
  type        = string
  default     = "main"
}

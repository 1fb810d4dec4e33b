output "bucket" {
  description = "The datasets' bucket."
  value       = aws_s3_bucket.data.bucket
}

output "data_url" {
  description = "Where to point spotgen --out (add a dataset name)."
  value       = "s3://${aws_s3_bucket.data.bucket}/${var.data_prefix}/"
}

output "node_role_arn" {
  description = "The role the nodes run spotgen with."
  value       = aws_iam_role.node.arn
}

output "node_public_ips" {
  description = "SSH to these as user admin with your key pair."
  value       = aws_instance.node[*].public_ip
}

output "node_private_ips" {
  description = "The nodes' addresses inside the VPC: the MPI hostfile."
  value       = aws_instance.node[*].private_ip
}

output "mpirun_example" {
  description = "Run on the first node once every node has /var/lib/spotgen-ready."
  value = format("mpirun --host %s -np %d spotgen generate --rows 1G --out s3://%s/%s/run-1/",
    join(",", [for ip in aws_instance.node[*].private_ip : "${ip}:${local.slots}"]),
  var.node_count * local.slots, aws_s3_bucket.data.bucket, var.data_prefix)
}

output "athena_workgroup" {
  description = "Athena workgroup whose query results go to the bucket."
  value       = aws_athena_workgroup.spotgen.name
}

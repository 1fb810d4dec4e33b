# The nodes' role: spotgen may write, read back (verify), replace (--overwrite
# deletes the old dataset, _SUCCESS first) and abort its own multipart uploads
# under the data prefix, and list only that prefix. Nothing else in the
# bucket, no other bucket, no wildcard actions. (S3 authorises
# CreateMultipartUpload, UploadPart and CompleteMultipartUpload as PutObject.)
data "aws_iam_policy_document" "assume_ec2" {
  statement {
    sid     = "Ec2AssumesTheRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "spotgen_s3" {
  statement {
    sid       = "ListTheDataPrefix"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.data.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [var.data_prefix, "${var.data_prefix}/", "${var.data_prefix}/?*"]
    }
  }
  statement {
    sid    = "ReadAndWriteDatasets"
    effect = "Allow"
    actions = [
      "s3:PutObject",
      "s3:GetObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ]
    resources = ["${aws_s3_bucket.data.arn}/${var.data_prefix}/?*"]
  }
}

resource "aws_iam_role" "node" {
  name_prefix        = "spotgen-node-"
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json
}

resource "aws_iam_role_policy" "spotgen_s3" {
  name   = "spotgen-s3"
  role   = aws_iam_role.node.id
  policy = data.aws_iam_policy_document.spotgen_s3.json
}

resource "aws_iam_instance_profile" "node" {
  name_prefix = "spotgen-node-"
  role        = aws_iam_role.node.name
}

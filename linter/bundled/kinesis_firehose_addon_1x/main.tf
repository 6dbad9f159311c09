# A model of the 1.x line of the registry module symopsio/kinesis-firehose-addon/aws (its newest
# release, 1.1.0), written for analysis: the one policy it creates and, when iam_role_name
# is set, attaches to that role (1.0.0 attached nothing and took no role). The published
# policy carries no tags.

resource "aws_iam_policy" "this" {
  name = "SymKinesisFirehose${title(var.environment)}"
  path = "/sym/"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = ["firehose:PutRecord", "firehose:PutRecordBatch"]
        Resource  = "*"
        Condition = { StringEquals = { "firehose:ResourceTag/${var.tag_name}" = var.environment } }
      },
      {
        Effect   = "Allow"
        Action   = "firehose:ListDeliveryStreams"
        Resource = "*"
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "this" {
  count = var.iam_role_name != "" ? 1 : 0

  role       = var.iam_role_name
  policy_arn = aws_iam_policy.this.arn
}

# A model of the 1.x line of the registry module symopsio/kinesis-data-stream-addon/aws (its newest
# release, 1.1.0), written for analysis: the one policy it creates and, when iam_role_name
# is set, attaches to that role (1.0.0 attached nothing and took no role). The published
# policy carries no tags.

resource "aws_iam_policy" "this" {
  name = "SymKinesisDataStream${title(var.environment)}"
  path = "/sym/"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["kinesis:PutRecord", "kinesis:PutRecords"]
        Resource = var.stream_arns
      },
      {
        Effect   = "Allow"
        Action   = "kinesis:ListStreams"
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

"""Data sources read during the plan, against the AWS provider itself: the same outputs through
``terraform plan`` (with hashicorp/aws from a local mirror, offline, fake credentials) and through
the evaluator's models (``evaluate/datasources.py``).

Needs Terraform 1.5+ and a provider mirror (``PLAN_FIXTURES_PROVIDER_MIRROR``, the CLI configuration
or an implied local mirror); skips with the reason otherwise. ``aws_caller_identity`` and
``aws_iam_*`` read AWS itself, so they are checked by the fixtures, not here.
"""

from __future__ import annotations

import pytest
from oracle import OFFLINE_PROVIDER, aws_provider_mirror, evaluator_outputs, find_terraform, plan_outputs

DATA = """
data "aws_arn" "role" {
  arn = "arn:aws:iam::111122223333:role/sym/ops/x"
}
data "aws_arn" "bucket" {
  arn = "arn:aws-cn:s3:::bucket/with:colon"
}
data "aws_arn" "queue" {
  arn = "arn:aws-us-gov:sqs:us-gov-west-1:444455556666:queue"
}
data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_region" "given" {
  name = "us-west-2"
}
output "role" {
  value = [for k in ["partition", "service", "region", "account", "resource", "id"] : data.aws_arn.role[k]]
}
output "bucket" {
  value = [data.aws_arn.bucket.partition, data.aws_arn.bucket.service, data.aws_arn.bucket.account, data.aws_arn.bucket.resource]
}
output "queue" {
  value = [data.aws_arn.queue.partition, data.aws_arn.queue.region, data.aws_arn.queue.account, data.aws_arn.queue.resource]
}
output "partition" {
  value = [data.aws_partition.current.partition, data.aws_partition.current.id]
}
output "region" {
  value = [data.aws_region.current.name, data.aws_region.current.id, data.aws_region.given.name]
}
output "admin_arn" {
  value = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AdministratorAccess"
}
"""

REGIONS = ["us-east-1", "eu-west-3", "cn-north-1", "us-gov-west-1", "us-iso-east-1", "us-isob-east-1"]


@pytest.fixture(scope="module")
def setup():
    tf = find_terraform()
    if isinstance(tf, str):
        pytest.skip(tf)
    if tf.version[:2] < (1, 5):
        pytest.skip("the plan's JSON of data sources needs Terraform 1.5 or later here")
    mirror = aws_provider_mirror()
    if isinstance(mirror, str):
        pytest.skip(mirror)
    return tf, mirror


@pytest.mark.parametrize("region", REGIONS)
def test_data_sources_read_during_the_plan_agree_with_the_provider(setup, region):
    tf, mirror = setup
    config = OFFLINE_PROVIDER % region + DATA
    theirs = plan_outputs(tf, mirror, config)
    if isinstance(theirs, str):
        pytest.skip(theirs)
    assert evaluator_outputs(config) == theirs

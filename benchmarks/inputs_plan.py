"""The plan input: a ``terraform show -json`` plan (format 1.2) of ``n`` resource instances.

One of them is a runtime connector role; the rest are ``module.service[...]`` instances of 20
resources each. About 1 KB per instance, compact as Terraform writes it.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from inputs_common import RUNTIMES, SEED, SYM_ACCOUNT, TEAMS, uuid

# --------------------------------------------------------------------------- plan JSON

# one instance of the service module: (resource type, count); 20 resource instances, mostly
# the small resources (records, rules, attachments) that make up most of a large plan
_SVC_LAYOUT = (
    ("aws_s3_bucket", 1),
    ("aws_s3_bucket_versioning", 1),
    ("aws_s3_bucket_public_access_block", 1),
    ("aws_security_group", 1),
    ("aws_vpc_security_group_ingress_rule", 3),
    ("aws_iam_role", 1),
    ("aws_iam_role_policy_attachment", 2),
    ("aws_lambda_function", 1),
    ("aws_lambda_permission", 1),
    ("aws_sqs_queue", 1),
    ("aws_sns_topic_subscription", 1),
    ("aws_kms_alias", 1),
    ("aws_ssm_parameter", 1),
    ("aws_route53_record", 4),
)
_SVC_KINDS = tuple(kind for kind, _ in _SVC_LAYOUT)
_SVC_INSTANCES = tuple((kind, i if count > 1 else None) for kind, count in _SVC_LAYOUT for i in range(count))
PER_SERVICE = len(_SVC_INSTANCES)
TAGS_ALL_DEFAULTS = {"ManagedBy": "terraform"}


def _svc_values(kind: str, svc: str, acct: str, rng: random.Random) -> tuple[dict, dict]:
    """(after, after_unknown) of one service resource: known values and the computed unknowns."""
    tags = {"Owner": svc.split("-")[0], "CostCenter": f"cc-{rng.randrange(1000, 9999)}"}
    tags_all = {**TAGS_ALL_DEFAULTS, **tags}
    if kind == "aws_s3_bucket":
        return (
            {
                "bucket": f"acme-{svc}-data",
                "force_destroy": False,
                "object_lock_enabled": False,
                "tags": tags,
                "tags_all": tags_all,
                "timeouts": None,
                "bucket_prefix": None,
            },
            {
                "acceleration_status": True,
                "acl": True,
                "arn": True,
                "bucket_domain_name": True,
                "bucket_regional_domain_name": True,
                "cors_rule": True,
                "grant": True,
                "hosted_zone_id": True,
                "id": True,
                "lifecycle_rule": True,
                "logging": True,
                "object_lock_configuration": True,
                "policy": True,
                "region": True,
                "replication_configuration": True,
                "request_payer": True,
                "server_side_encryption_configuration": True,
                "tags": {},
                "tags_all": {},
                "versioning": True,
                "website": True,
                "website_domain": True,
                "website_endpoint": True,
            },
        )
    if kind == "aws_s3_bucket_versioning":
        return (
            {
                "expected_bucket_owner": None,
                "mfa": None,
                "versioning_configuration": [{"mfa_delete": None, "status": "Enabled"}],
            },
            {
                "bucket": True,
                "id": True,
                "versioning_configuration": [{"mfa_delete": True}],
            },
        )
    if kind == "aws_s3_bucket_public_access_block":
        return (
            {
                "block_public_acls": True,
                "block_public_policy": True,
                "ignore_public_acls": True,
                "restrict_public_buckets": True,
            },
            {"bucket": True, "id": True},
        )
    if kind == "aws_security_group":
        return (
            {
                "description": f"Service traffic of {svc}",
                "name": f"{svc}-service",
                "revoke_rules_on_delete": False,
                "tags": tags,
                "tags_all": tags_all,
                "timeouts": None,
                "vpc_id": "vpc-0a1b2c3d4e5f60718",
            },
            {
                "arn": True,
                "egress": True,
                "id": True,
                "ingress": True,
                "name_prefix": True,
                "owner_id": True,
                "tags": {},
                "tags_all": {},
            },
        )
    if kind == "aws_vpc_security_group_ingress_rule":
        port = rng.choice((443, 8443, 5432))
        return (
            {
                "cidr_ipv4": f"10.{rng.randrange(256)}.0.0/16",
                "cidr_ipv6": None,
                "description": "from the load balancer",
                "from_port": port,
                "ip_protocol": "tcp",
                "prefix_list_id": None,
                "referenced_security_group_id": None,
                "tags": None,
                "to_port": port,
            },
            {
                "arn": True,
                "id": True,
                "security_group_id": True,
                "security_group_rule_id": True,
                "tags_all": True,
            },
        )
    if kind == "aws_iam_role":
        trust = json.dumps(
            {
                "Statement": [
                    {
                        "Action": "sts:AssumeRole",
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                    }
                ],
                "Version": "2012-10-17",
            },
            separators=(",", ":"),
        )
        return (
            {
                "assume_role_policy": trust,
                "description": None,
                "force_detach_policies": False,
                "max_session_duration": 3600,
                "name": f"{svc}-worker",
                "path": "/",
                "permissions_boundary": None,
                "tags": tags,
                "tags_all": tags_all,
            },
            {
                "arn": True,
                "create_date": True,
                "id": True,
                "inline_policy": True,
                "managed_policy_arns": True,
                "name_prefix": True,
                "tags": {},
                "tags_all": {},
                "unique_id": True,
            },
        )
    if kind == "aws_iam_role_policy_attachment":
        return (
            {
                "policy_arn": "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
                "role": f"{svc}-worker",
            },
            {"id": True},
        )
    if kind == "aws_cloudwatch_log_group":
        return (
            {
                "log_group_class": "STANDARD",
                "name": f"/aws/lambda/{svc}-worker",
                "retention_in_days": 30,
                "skip_destroy": False,
                "tags": tags,
                "tags_all": tags_all,
            },
            {
                "arn": True,
                "id": True,
                "kms_key_id": True,
                "name_prefix": True,
                "tags": {},
                "tags_all": {},
            },
        )
    if kind == "aws_lambda_function":
        return (
            {
                "architectures": ["arm64"],
                "code_signing_config_arn": None,
                "dead_letter_config": [],
                "description": None,
                "environment": [{"variables": {"LOG_LEVEL": "INFO"}}],
                "ephemeral_storage": [{"size": 512}],
                "file_system_config": [],
                "function_name": f"{svc}-worker",
                "handler": "app.handler",
                "image_config": [],
                "image_uri": None,
                "kms_key_arn": None,
                "layers": None,
                "memory_size": rng.choice((128, 256, 512, 1024)),
                "package_type": "Zip",
                "publish": False,
                "replace_security_groups_on_destroy": None,
                "replacement_security_group_ids": None,
                "reserved_concurrent_executions": -1,
                "runtime": rng.choice(RUNTIMES),
                "s3_bucket": "acme-artifacts",
                "s3_key": f"{svc}/worker.zip",
                "s3_object_version": None,
                "skip_destroy": False,
                "tags": tags,
                "tags_all": tags_all,
                "timeout": 30,
                "timeouts": None,
            },
            {
                "arn": True,
                "environment": [{"variables": {}}],
                "ephemeral_storage": [{}],
                "id": True,
                "invoke_arn": True,
                "last_modified": True,
                "logging_config": True,
                "qualified_arn": True,
                "qualified_invoke_arn": True,
                "role": True,
                "signing_job_arn": True,
                "signing_profile_version_arn": True,
                "snap_start": True,
                "source_code_hash": True,
                "source_code_size": True,
                "tags": {},
                "tags_all": {},
                "tracing_config": True,
                "version": True,
                "vpc_config": True,
            },
        )
    if kind == "aws_sqs_queue":
        return (
            {
                "content_based_deduplication": False,
                "delay_seconds": 0,
                "fifo_queue": False,
                "max_message_size": 262144,
                "message_retention_seconds": 345600,
                "name": f"{svc}-jobs",
                "receive_wait_time_seconds": 0,
                "tags": tags,
                "tags_all": tags_all,
                "visibility_timeout_seconds": 360,
            },
            {
                "arn": True,
                "deduplication_scope": True,
                "fifo_throughput_limit": True,
                "id": True,
                "kms_data_key_reuse_period_seconds": True,
                "kms_master_key_id": True,
                "name_prefix": True,
                "policy": True,
                "redrive_allow_policy": True,
                "redrive_policy": True,
                "sqs_managed_sse_enabled": True,
                "tags": {},
                "tags_all": {},
                "url": True,
            },
        )
    if kind == "aws_sns_topic":
        return (
            {
                "application_failure_feedback_role_arn": None,
                "content_based_deduplication": False,
                "delivery_policy": None,
                "display_name": None,
                "fifo_topic": False,
                "name": f"{svc}-alerts",
                "tags": tags,
                "tags_all": tags_all,
                "tracing_config": None,
            },
            {
                "arn": True,
                "beginning_archive_time": True,
                "id": True,
                "kms_master_key_id": True,
                "name_prefix": True,
                "owner": True,
                "policy": True,
                "signature_version": True,
                "tags": {},
                "tags_all": {},
            },
        )
    if kind == "aws_dynamodb_table":
        return (
            {
                "attribute": [{"name": "pk", "type": "S"}, {"name": "sk", "type": "S"}],
                "billing_mode": "PAY_PER_REQUEST",
                "deletion_protection_enabled": None,
                "global_secondary_index": [],
                "hash_key": "pk",
                "local_secondary_index": [],
                "name": f"{svc}-state",
                "point_in_time_recovery": [{"enabled": True}],
                "range_key": "sk",
                "restore_date_time": None,
                "restore_source_name": None,
                "restore_to_latest_time": None,
                "stream_enabled": None,
                "table_class": None,
                "tags": tags,
                "tags_all": tags_all,
                "timeouts": None,
                "ttl": [],
            },
            {
                "arn": True,
                "attribute": [{}, {}],
                "global_secondary_index": [],
                "id": True,
                "local_secondary_index": [],
                "point_in_time_recovery": [{}],
                "read_capacity": True,
                "replica": True,
                "server_side_encryption": True,
                "stream_arn": True,
                "stream_label": True,
                "stream_view_type": True,
                "tags": {},
                "tags_all": {},
                "ttl": [],
                "write_capacity": True,
            },
        )
    if kind == "aws_kms_key":
        return (
            {
                "bypass_policy_lockout_safety_check": False,
                "custom_key_store_id": None,
                "customer_master_key_spec": "SYMMETRIC_DEFAULT",
                "deletion_window_in_days": 30,
                "description": f"Data key of {svc}",
                "enable_key_rotation": True,
                "is_enabled": True,
                "key_usage": "ENCRYPT_DECRYPT",
                "tags": tags,
                "tags_all": tags_all,
                "xks_key_id": None,
            },
            {
                "arn": True,
                "id": True,
                "key_id": True,
                "multi_region": True,
                "policy": True,
                "rotation_period_in_days": True,
                "tags": {},
                "tags_all": {},
            },
        )
    if kind == "aws_kms_alias":
        return (
            {"name": f"alias/{svc}-data", "name_prefix": None},
            {"arn": True, "id": True, "target_key_arn": True, "target_key_id": True},
        )
    if kind == "aws_ssm_parameter":
        return (
            {
                "allowed_pattern": None,
                "data_type": "text",
                "description": None,
                "insecure_value": None,
                "name": f"/{svc}/queue-url",
                "overwrite": None,
                "tags": tags,
                "tags_all": tags_all,
                "tier": "Standard",
                "type": "String",
            },
            {
                "arn": True,
                "id": True,
                "key_id": True,
                "value": True,
                "version": True,
                "tags": {},
                "tags_all": {},
            },
        )
    if kind == "aws_ecr_repository":
        return (
            {
                "force_delete": None,
                "image_scanning_configuration": [{"scan_on_push": True}],
                "image_tag_mutability": "IMMUTABLE",
                "name": f"{svc}",
                "tags": tags,
                "tags_all": tags_all,
                "timeouts": None,
            },
            {
                "arn": True,
                "encryption_configuration": True,
                "id": True,
                "image_scanning_configuration": [{}],
                "registry_id": True,
                "repository_url": True,
                "tags": {},
                "tags_all": {},
            },
        )
    if kind == "aws_cloudwatch_metric_alarm":
        return (
            {
                "actions_enabled": True,
                "alarm_description": f"Errors of {svc}",
                "alarm_name": f"{svc}-errors",
                "comparison_operator": "GreaterThanThreshold",
                "datapoints_to_alarm": None,
                "dimensions": {"FunctionName": f"{svc}-worker"},
                "evaluation_periods": 1,
                "insufficient_data_actions": None,
                "metric_name": "Errors",
                "namespace": "AWS/Lambda",
                "ok_actions": None,
                "period": 300,
                "statistic": "Sum",
                "tags": tags,
                "tags_all": tags_all,
                "threshold": 1,
                "treat_missing_data": "missing",
                "unit": None,
            },
            {
                "alarm_actions": True,
                "arn": True,
                "dimensions": {},
                "id": True,
                "tags": {},
                "tags_all": {},
                "metric_query": [],
            },
        )
    if kind == "aws_lambda_permission":
        return (
            {
                "action": "lambda:InvokeFunction",
                "event_source_token": None,
                "function_url_auth_type": None,
                "principal": "sns.amazonaws.com",
                "principal_org_id": None,
                "qualifier": None,
                "source_account": acct,
                "statement_id": "AllowSNS",
                "statement_id_prefix": None,
            },
            {"function_name": True, "id": True, "source_arn": True},
        )
    if kind == "aws_sns_topic_subscription":
        return (
            {
                "confirmation_timeout_in_minutes": 1,
                "delivery_policy": None,
                "endpoint_auto_confirms": False,
                "filter_policy": None,
                "filter_policy_scope": None,
                "protocol": "lambda",
                "raw_message_delivery": False,
                "redrive_policy": None,
                "replay_policy": None,
                "subscription_role_arn": None,
            },
            {
                "arn": True,
                "confirmation_was_authenticated": True,
                "endpoint": True,
                "id": True,
                "owner_id": True,
                "pending_confirmation": True,
                "topic_arn": True,
            },
        )
    # aws_route53_record
    return (
        {
            "allow_overwrite": None,
            "failover_routing_policy": [],
            "geolocation_routing_policy": [],
            "health_check_id": None,
            "latency_routing_policy": [],
            "multivalue_answer_routing_policy": None,
            "name": f"{svc}.internal.acme.example",
            "records": [f"10.{rng.randrange(256)}.{rng.randrange(256)}.10"],
            "set_identifier": None,
            "ttl": 300,
            "type": "A",
            "weighted_routing_policy": [],
            "zone_id": "Z0123456789ABCDEF",
        },
        {"fqdn": True, "id": True, "records": [False]},
    )


def _sensitive(unknown):
    """A sensitivity mask of the same shape as an after_unknown (nothing sensitive)."""
    if isinstance(unknown, dict):
        return {k: _sensitive(v) for k, v in unknown.items() if isinstance(v, (dict, list))}
    if isinstance(unknown, list):
        return [_sensitive(v) if isinstance(v, (dict, list)) else False for v in unknown]
    return False


def _dumps(obj) -> str:
    return json.dumps(obj, separators=(",", ":"))


def _connector_plan_parts(acct: str, seed: int) -> tuple[list, list, list]:
    """(planned resources, resource changes, configuration resources) of the plan's one connector."""
    rng = random.Random(f"{seed}:plan-connector")
    external_id = uuid(rng)
    tags = {"Owner": "platform-security", "CostCenter": "cc-1042"}
    tags_all = {**TAGS_ALL_DEFAULTS, **tags}
    trust = _dumps(
        {
            "Statement": [
                {
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"sts:ExternalId": external_id}},
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{SYM_ACCOUNT}:root"},
                    "Sid": "SymRuntime",
                }
            ],
            "Version": "2012-10-17",
        }
    )
    policy = _dumps(
        {
            "Statement": [
                {
                    "Action": "sts:AssumeRole",
                    "Effect": "Allow",
                    "Resource": [
                        f"arn:aws:iam::{acct}:role/sym/*",
                        "arn:aws:iam::444455556666:role/*",
                    ],
                }
            ],
            "Version": "2012-10-17",
        }
    )
    items = [
        (
            "aws_iam_role",
            "sym_connector",
            {
                "assume_role_policy": trust,
                "description": None,
                "force_detach_policies": False,
                "max_session_duration": 3600,
                "name": "SymRuntimeProd",
                "path": "/sym/",
                "permissions_boundary": None,
                "tags": tags,
                "tags_all": tags_all,
            },
            {
                "arn": True,
                "create_date": True,
                "id": True,
                "inline_policy": True,
                "managed_policy_arns": True,
                "name_prefix": True,
                "tags": {},
                "tags_all": {},
                "unique_id": True,
            },
            {
                "assume_role_policy": {"references": ["local.external_id"]},
                "name": {"constant_value": "SymRuntimeProd"},
                "path": {"constant_value": "/sym/"},
                "tags": {"references": ["local.tags"]},
            },
        ),
        (
            "aws_iam_policy",
            "sym_assume_roles",
            {
                "description": "Lets the Sym runtime assume /sym/ roles.",
                "name": "SymRuntimeAssumeRolesProd",
                "path": "/sym/",
                "policy": policy,
                "tags": tags,
                "tags_all": tags_all,
            },
            {
                "arn": True,
                "attachment_count": True,
                "id": True,
                "name_prefix": True,
                "policy_id": True,
                "tags": {},
                "tags_all": {},
            },
            {
                "name": {"constant_value": "SymRuntimeAssumeRolesProd"},
                "path": {"constant_value": "/sym/"},
                "policy": {"references": ["local.assumable_role_arns"]},
                "tags": {"references": ["local.tags"]},
            },
        ),
        (
            "aws_iam_role_policy_attachment",
            "sym_assume_roles",
            {"role": "SymRuntimeProd"},
            {"id": True, "policy_arn": True},
            {
                "policy_arn": {
                    "references": [
                        "aws_iam_policy.sym_assume_roles.arn",
                        "aws_iam_policy.sym_assume_roles",
                    ]
                },
                "role": {
                    "references": [
                        "aws_iam_role.sym_connector.name",
                        "aws_iam_role.sym_connector",
                    ]
                },
            },
        ),
    ]
    planned, changes, config = [], [], []
    for type_, name, after, unknown, exprs in items:
        address = f"{type_}.{name}"
        planned.append(
            {
                "address": address,
                "mode": "managed",
                "type": type_,
                "name": name,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "schema_version": 0,
                "values": after,
                "sensitive_values": _sensitive(unknown),
            }
        )
        changes.append(
            {
                "address": address,
                "mode": "managed",
                "type": type_,
                "name": name,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": after,
                    "after_unknown": unknown,
                    "before_sensitive": False,
                    "after_sensitive": _sensitive(unknown),
                },
            }
        )
        config.append(
            {
                "address": address,
                "mode": "managed",
                "type": type_,
                "name": name,
                "provider_config_key": "aws",
                "expressions": exprs,
                "schema_version": 0,
            }
        )
    return planned, changes, config


def _svc_resource(svc_index: int, instance_index: int, seed: int, acct: str):
    """Everything about one service resource instance, derived from its indexes only."""
    svc = f"{TEAMS[svc_index % len(TEAMS)]}-svc{svc_index:05d}"
    kind, index = _SVC_INSTANCES[instance_index]
    rng = random.Random(f"{seed}:plan:{svc_index}:{instance_index}")
    after, unknown = _svc_values(kind, svc, acct, rng)
    module_address = f'module.service["{svc}"]'
    address = f"{module_address}.{kind}.this" + (f"[{index}]" if index is not None else "")
    noop = rng.random() < 0.1
    extra = {"index": index} if index is not None else {}
    return svc, kind, module_address, address, after, unknown, noop, extra


def plan(dest: Path, n: int, seed: int = SEED) -> dict:
    """A plan of ``n`` resource instances: 3 of the root's connector, the rest in ``module.service`` instances.

    Written as a stream (the 100k plan never exists as one Python object here), compact
    like ``terraform show -json``.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    acct = "111122223333"
    c_planned, c_changes, c_config = _connector_plan_parts(acct, seed)
    services = max(0, n - len(c_planned))
    n_svc = (services + PER_SERVICE - 1) // PER_SERVICE

    def instances():
        done = 0
        for s in range(n_svc):
            for k in range(PER_SERVICE):
                if done == services:
                    return
                done += 1
                yield s, k

    provider = "registry.terraform.io/hashicorp/aws"
    with open(dest, "w", encoding="utf-8") as out:
        out.write(
            '{"format_version":"1.2","terraform_version":"1.9.8","variables":{"environment":{"value":"prod"}},'
        )
        # planned_values: the root's resources, then one child module per service instance
        out.write('"planned_values":{"root_module":{"resources":[')
        out.write(",".join(_dumps(r) for r in c_planned))
        out.write('],"child_modules":[')
        current, first_module = None, True
        for s, k in instances():
            svc, kind, maddr, address, after, unknown, _, extra = _svc_resource(s, k, seed, acct)
            if maddr != current:
                if current is not None:
                    out.write(f'],"address":{_dumps(current)}}}')
                out.write(("" if first_module else ",") + '{"resources":[')
                first_module = False
                current = maddr
            else:
                out.write(",")
            out.write(
                _dumps(
                    {
                        "address": address,
                        "mode": "managed",
                        "type": kind,
                        "name": "this",
                        **extra,
                        "provider_name": provider,
                        "schema_version": 0,
                        "values": after,
                        "sensitive_values": _sensitive(unknown),
                    }
                )
            )
        if current is not None:
            out.write(f'],"address":{_dumps(current)}}}')
        out.write("]}},")
        # resource_changes
        out.write('"resource_changes":[')
        out.write(",".join(_dumps(r) for r in c_changes))
        for s, k in instances():
            svc, kind, maddr, address, after, unknown, noop, extra = _svc_resource(s, k, seed, acct)
            if noop:  # an existing resource: known before and after
                known_unknown = {key: v for key, v in unknown.items() if v is not True}
                change = {
                    "actions": ["no-op"],
                    "before": after,
                    "after": after,
                    "after_unknown": known_unknown,
                    "before_sensitive": _sensitive(unknown),
                    "after_sensitive": _sensitive(unknown),
                }
            else:
                change = {
                    "actions": ["create"],
                    "before": None,
                    "after": after,
                    "after_unknown": unknown,
                    "before_sensitive": False,
                    "after_sensitive": _sensitive(unknown),
                }
            out.write(",")
            out.write(
                _dumps(
                    {
                        "address": address,
                        "module_address": maddr,
                        "mode": "managed",
                        "type": kind,
                        "name": "this",
                        **extra,
                        "provider_name": provider,
                        "change": change,
                    }
                )
            )
        out.write("],")
        # prior_state: the data sources read during plan
        prior = {
            "format_version": "1.0",
            "terraform_version": "1.9.8",
            "values": {
                "root_module": {
                    "resources": [
                        {
                            "address": "data.aws_caller_identity.current",
                            "mode": "data",
                            "type": "aws_caller_identity",
                            "name": "current",
                            "provider_name": provider,
                            "schema_version": 0,
                            "values": {
                                "account_id": acct,
                                "arn": f"arn:aws:iam::{acct}:user/ci",
                                "id": acct,
                                "user_id": "AIDAEXAMPLE",
                            },
                            "sensitive_values": {},
                        },
                    ]
                }
            },
        }
        out.write(f'"prior_state":{_dumps(prior)},')
        # configuration: the root's resources and the service module (written once)
        svc_config = [
            {
                "address": f"{kind}.this",
                "mode": "managed",
                "type": kind,
                "name": "this",
                "provider_config_key": "aws",
                "expressions": {"tags": {"references": ["local.tags"]}},
                "schema_version": 0,
                **({"count_expression": {"constant_value": count}} if count > 1 else {}),
            }
            for kind, count in _SVC_LAYOUT
        ]
        configuration = {
            "provider_config": {
                "aws": {
                    "name": "aws",
                    "full_name": provider,
                    "version_constraint": "~> 5.40",
                    "expressions": {
                        "region": {"constant_value": "us-east-1"},
                        "default_tags": [{"tags": {"constant_value": TAGS_ALL_DEFAULTS}}],
                    },
                }
            },
            "root_module": {
                "resources": c_config
                + [
                    {
                        "address": "data.aws_caller_identity.current",
                        "mode": "data",
                        "type": "aws_caller_identity",
                        "name": "current",
                        "provider_config_key": "aws",
                        "schema_version": 0,
                    }
                ],
                "module_calls": {
                    "service": {
                        "source": "./modules/service",
                        "for_each_expression": {"references": ["local.services"]},
                        "module": {
                            "resources": svc_config,
                            "variables": {"name": {}, "tags": {"default": {}}},
                        },
                    }
                },
                "variables": {"environment": {"default": "prod"}},
            },
        }
        out.write(f'"configuration":{_dumps(configuration)},')
        out.write('"timestamp":"2024-06-11T09:00:00Z","applyable":true,"complete":true,"errored":false}')
    return {
        "resources": len(c_planned) + services,
        "connectors": 1,
        "bytes": dest.stat().st_size,
    }

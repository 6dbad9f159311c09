"""The one aws_iam_policy_document assembler, as every front door uses it."""

from __future__ import annotations

from sym_connector_lint.iam.document import Arg, DocumentBlock, assemble
from sym_connector_lint.model import Span
from sym_connector_lint.values import Unknown

SPAN = Span("main.tf", 3, 9)


def block(span=SPAN, blocks=None, **args) -> DocumentBlock:
    return DocumentBlock(span, {k: Arg(v, span) for k, v in args.items()}, blocks or {})


def test_source_then_statements_then_overrides_merge_by_sid():
    source = '{"Statement": [{"Sid": "A", "Effect": "Allow", "Action": "s3:*"}, {"Effect": "Deny"}]}'
    own = block(sid="A", actions=["sts:AssumeRole"], resources=["arn:aws:iam::1:role/sym/*"])
    override = {"Statement": {"Sid": "B", "Effect": "Allow", "Action": "iam:*"}}
    doc = assemble([source], [own], [override], SPAN)
    assert doc == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "A",
                "Effect": "Allow",
                "Action": ["sts:AssumeRole"],
                "Resource": ["arn:aws:iam::1:role/sym/*"],
            },
            {"Effect": "Deny"},
            {"Sid": "B", "Effect": "Allow", "Action": "iam:*"},
        ],
    }


def test_principals_and_conditions_take_the_provider_shape():
    principals = (
        block(type="AWS", identifiers=["arn:aws:iam::1:root"]),
        block(type="AWS", identifiers="arn:aws:iam::2:root"),
    )
    cond = (block(test="StringEquals", variable="sts:ExternalId", values=["x"]),)
    doc = assemble([], [block(blocks={"principals": principals, "condition": cond})], [], SPAN)
    (st,) = doc["Statement"]
    assert st == {
        "Effect": "Allow",
        "Principal": {"AWS": ["arn:aws:iam::1:root", "arn:aws:iam::2:root"]},
        "Condition": {"StringEquals": {"sts:ExternalId": ["x"]}},
    }


def test_what_cannot_be_read_makes_the_document_unknown_and_says_why():
    doc = assemble(["not json"], [DocumentBlock(SPAN, known=False)], [], SPAN)
    assert isinstance(doc, Unknown)
    assert doc.detail == "a source document that is not JSON; dynamic statement blocks"


def test_an_unknown_dynamic_principal_is_not_a_principal():
    st = block(blocks={"principals": (DocumentBlock(Span("main.tf", 5, 7), known=False),)})
    (out,) = assemble([], [st], [], SPAN)["Statement"]
    assert isinstance(out["Principal"], Unknown)
    assert out["Principal"].span == Span("main.tf", 5, 7)

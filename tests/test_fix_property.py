"""Property test: broken connectors in random spellings, fixed, keep every invariant of --fix.

Hypothesis writes a connector (``fix_cases.connector``) whose trust policy is spelt with
``jsonencode``, a heredoc, an ``aws_iam_policy_document`` or Terraform JSON syntax, whose assume
ARNs are in the policy, a local, a variable's default, a variable file, a module argument or a
``.tf.json`` document, each with a defect the fixes repair (or none), and tags that may miss a
key. On each: --fix --unsafe-fixes adds no finding and leaves nothing it could still repair (an
offered fix that does not work would be a false ``[*]``), the written files are laid out as
``terraform fmt`` does, a second --fix changes nothing, --diff writes nothing and its output
applied with ``patch`` is exactly what --fix wrote, and a connector with no defect is not touched.
``SYM_FIX_EXAMPLES=500`` runs longer (and also asks ``terraform fmt -check``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from fix_cases import ASSUME_DEFECTS, ASSUME_STYLES, TAG_DEFECTS, TRUST_DEFECTS, TRUST_STYLES, connector
from fix_run import cycle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sym_connector_lint.fix.fmt import format_text

EXAMPLES = int(os.environ.get("SYM_FIX_EXAMPLES", "25"))


def _write(files: dict[str, str]) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="fix-prop-")) / "root"
    for name, text in files.items():
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return folder


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    trust=st.sampled_from(TRUST_STYLES),
    trust_defect=st.sampled_from(TRUST_DEFECTS),
    assume=st.sampled_from(ASSUME_STYLES),
    assume_defect=st.sampled_from(ASSUME_DEFECTS),
    tags=st.sampled_from(TAG_DEFECTS),
    sid=st.booleans(),
    integration=st.booleans(),
    comment=st.booleans(),
)
def test_fix_keeps_its_invariants_in_every_spelling(
    trust, trust_defect, assume, assume_defect, tags, sid, integration, comment
):
    case = connector(trust, trust_defect, assume, assume_defect, tags, sid, integration, comment)
    folder = _write(case.files)
    try:
        c = cycle(folder, case.args)
        assert not c.before["errors"], c.before["errors"]
        assert not c.after["errors"], c.after["errors"]
        assert c.new_findings == []
        assert c.still_fixable == []
        assert c.diff_wrote == []
        assert c.second_run_changed == []
        if c.patched_equals_fix is not None:
            assert c.patched_equals_fix
        for rel, (_, new) in c.changed.items():
            if rel.endswith((".tf", ".tfvars")):
                assert format_text(new.decode()) == new.decode(), rel
        notes = [n for f in c.before["findings"] for n in f.get("notes", []) if n.startswith("no fix:")]
        assert notes == []
        defects = (trust_defect, assume_defect, tags)
        if defects == ("none", "none", "none"):
            assert c.before["findings"] == [] and c.changed == {}
        terraform = shutil.which("terraform")
        if terraform and c.changed and os.environ.get("SYM_FIX_EXAMPLES"):  # a long run also asks Terraform
            r = subprocess.run(
                [terraform, "fmt", "-check", "-recursive", str(folder)], capture_output=True, text=True
            )
            assert r.returncode == 0, r.stdout + r.stderr
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)

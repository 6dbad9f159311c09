"""The IAM questions the rules ask, answered from normalised policies: an index of where each lives.

* :func:`assume_statements` - the Allow statements that let ``sts:AssumeRole`` through (``grants.py``).
* :func:`assume_escapes` - may a role assume roles outside ``role/sym/*``? (``escapes.py``, over the
  ARN sets of ``arnsets.py`` and the scope of ``scope.py``).
* :func:`may_assume` - may it assume one given (possibly symbolic) ARN? (``targets.py``).
* :func:`self_modification` - may it rewrite its own permissions? (``targets.py``).
* ``trust.py`` asks whether a trust statement pins ``sts:ExternalId``; ``reach.py`` which accounts
  a role can reach.

Unknown values (see ``values.py``) are handled explicitly: an answer that depends on
them is reported as unknown / inconclusive rather than guessed.
"""

from __future__ import annotations

from .arnsets import boundary_sets
from .escapes import Escape, assume_escapes
from .grants import ASSUME_ROLE, PARTITIONS, SELF_MODIFYING_ACTIONS, assume_statements, statement_grants
from .targets import may_assume, self_modification

__all__ = [
    "ASSUME_ROLE",
    "PARTITIONS",
    "SELF_MODIFYING_ACTIONS",
    "Escape",
    "assume_escapes",
    "assume_statements",
    "boundary_sets",
    "may_assume",
    "self_modification",
    "statement_grants",
]

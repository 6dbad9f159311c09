"""IAM semantics for the rules: patterns, policies, managed policies and analyses.

The questions the rules ask, answered from normalised policies: which Allow statements let
``sts:AssumeRole`` through (``grants.py``); whether a role may assume roles outside ``role/sym/*``
(``escapes.py``, over the ARN sets of ``arnsets.py`` and the scope of ``scope.py``); whether it
may assume one given ARN or rewrite its own permissions (``targets.py``); whether a trust
statement pins ``sts:ExternalId`` (``trust.py``); which accounts a role can reach (``reach.py``).
An answer that depends on an unknown value is inconclusive, never guessed.

Pure Python: nothing here imports a parser or a terminal library.
"""

"""The folder checkov loads with ``--external-checks-dir``: the check file alone (checkov imports
every ``.py`` file here whose name does not start with ``__``, as a top-level module)."""

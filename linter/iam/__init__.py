"""IAM semantics for the rules: patterns, policies, managed policies and analyses.

Pure Python: nothing here imports a parser or a terminal library.
"""

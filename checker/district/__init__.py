"""District review: batches over directories, summaries, the plan and its progress, history, exports.

Builds on ``checker.core`` and, for the progress PDF, ``checker.report``;
never on the CLI.
"""

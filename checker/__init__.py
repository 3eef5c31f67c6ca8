"""tongcheck: compliance checking of child-friendly facilities (儿童友好).

Library use, without the CLI::

    from checker import Catalog, load_audit, check

    catalog = Catalog.discover()                      # shipped standards (+ $TONGCHECK_STANDARDS)
    audit = load_audit("examples/schools/exemplary.json", catalog)
    result = check(audit, catalog)                    # evaluate + score + result object
    print(result.verdict, result.score, result.level)

Lower-level steps are public too: ``load_standard``, ``evaluate``, ``score``,
``build_result``. Errors are ``CheckerError`` subclasses carrying every
problem found, each with file, location and a fix.
"""

from __future__ import annotations

from checker.core.audit import Audit
from checker.core.audit_load import load_audit, parse_audit
from checker.core.catalog import Catalog
from checker.core.engine import Evaluation, RuleOutcome, Status, evaluate
from checker.core.errors import AuditError, CheckerError, Problem, StandardError, UsageError
from checker.core.result import Result
from checker.core.result_build import build_result
from checker.core.scoring import Score, Verdict, score
from checker.core.standard import Standard
from checker.core.standard_load import load_standard, parse_standard

__version__ = "0.1.0"

__all__ = [
    "Audit",
    "AuditError",
    "Catalog",
    "CheckerError",
    "Evaluation",
    "Problem",
    "Result",
    "RuleOutcome",
    "Score",
    "Standard",
    "StandardError",
    "Status",
    "UsageError",
    "Verdict",
    "__version__",
    "build_result",
    "check",
    "evaluate",
    "load_audit",
    "load_standard",
    "parse_audit",
    "parse_standard",
    "score",
]


def check(audit: Audit, catalog: Catalog | Standard) -> Result:
    """Evaluate and score a validated audit; the one call most users need."""
    standard = catalog if isinstance(catalog, Standard) else catalog.get(audit.standard)
    evaluation = evaluate(standard, audit)
    return build_result(standard, audit, evaluation, score(standard, evaluation.outcomes))

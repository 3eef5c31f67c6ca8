"""The pure core: read, validate, evaluate, score and build results.

Nothing here imports click, WeasyPrint, SQLite or the terminal; every
package above (district, report, forms, cli) builds on it, never the other
way round. ``docs/architecture.md`` has the picture.
"""

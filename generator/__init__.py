"""briefing: a static briefing site generator in which every statement is footnoted.

The pipeline, one module a stage: :mod:`load` (YAML to positioned nodes),
:mod:`model` (typed records), :mod:`check` (every rule, every error at once),
:mod:`render` (model to Markdown strings, no I/O), :mod:`write` (atomic output) and
:mod:`engine` (MkDocs).
"""

__version__ = "0.1.0"

"""core — what every layer shares: problems, periods, formatting, the rules (rules/sections, with
rules/register_sections for the later registers and rules/base for their bounds, loaded by
rules/model, with its presets), the shapes of the data between layers (records) and ranking.

The bottom layer: imports nothing else of the package (an import-linter contract, `make lint`).
"""

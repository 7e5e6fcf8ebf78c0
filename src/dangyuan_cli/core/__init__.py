"""core — what every layer shares: problems, periods, formatting, the rules model and its presets.

The bottom layer: imports nothing else of the package (an import-linter contract, `make lint`).
"""

"""The sample township's generator (`scripts/make_samples.py` is its entry point).

people: rosters and points entries, the planted cases on named roles; layouts: how each
branch's workbooks look; registers: the township registers and the member registers that came
later; manifest: the planted cases as JSON (`sample_ledgers/manifest.json`), read by the tests.
"""

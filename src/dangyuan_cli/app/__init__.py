"""app — one run: load and skip logic, cached computations, the batch and its staging, the lock,
the archive. Calls registers → domain → publish; never prints (the CLI renders).
"""

"""registers — reading: the workspace's files, register recognition, cell values, member identity,
validation, and the frames the domain computes on. Never decides a rule, never writes a file.
"""

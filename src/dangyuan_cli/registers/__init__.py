"""registers — reading: the workspace's files (workspace, limits), register recognition (schema,
headers, recognize; rows parses the rows under a header column by column), cell values, member
identity (members), validation (validate: the checks in one list, and who each row names), and the frames the domain computes on (frames; member_frames for
the member registers that came last; frame_rows, the steps both share; columns from core.records). Never decides a rule, never writes a file.
"""

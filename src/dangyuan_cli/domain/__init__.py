"""domain — pure rules over DataFrames: entries resolved (resolve) and summed (points), stars,
boards, classes, posts, duty, consequences, the report's figures. Takes and returns data; never
prints, reads or writes a file.
"""

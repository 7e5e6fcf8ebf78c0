"""domain — pure rules over DataFrames: points, stars, boards, classes, posts, duty, consequences,
the report's figures. Takes and returns data; never prints, reads or writes a file.
"""

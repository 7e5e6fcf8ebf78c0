"""publish — writing: result tables and workbooks, the 附件2/3 ledgers, blank registers, the
report workbook, documents (Jinja/docxtpl, calendar, privacy). Never reads a register.
"""

"""publish — writing: result tables and workbooks, the 公示 rows and documents (notices), the 附件2/3 ledgers, blank registers, the
report workbook, documents (Jinja/docxtpl, calendar, privacy). Never reads a register.
"""

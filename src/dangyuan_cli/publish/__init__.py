"""publish — writing: result tables and workbooks, the 公示 rows shaped for notices (notices.py),
the 附件2/3 ledgers, blank registers, the report workbook, documents (Jinja/docxtpl, calendar,
privacy). Never reads a register.
"""

"""Reading and cleaning what people send: application sheets and their template, the
county register, and banks' repayment files. Rows come out as typed values and field
problems; nothing is written here.
"""

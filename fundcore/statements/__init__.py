"""Statements for auditors as data: the statement model (``model``) and the queries that
fill it (fund, county, facility, a youth's record, exports). ``reports/`` draws them.
"""

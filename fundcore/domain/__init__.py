"""The pure core: money, dates, working days, identity, refs, errors, terms, the chart and
ledger values, policy figures, eligibility, schedules and posting recipes.

Nothing here touches a database, a file or the clock (a test enforces it): every
function takes the facts it needs and returns values, so the programme's rules can be
tested by table without a fund.
"""

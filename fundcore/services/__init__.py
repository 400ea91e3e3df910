"""One use case each: authorise the operator, load what the rule needs, call the domain,
write through the store. A service never commits: the caller's unit of work does.
"""

"""``fund demo``: a realistic programme run end to end (``fundcore.demo.programme.run``).

``people`` makes the youth and their application rows, ``counties`` the register,
``timeline`` orders the business events, ``intake`` and ``servicing`` carry them out
through the core services, and ``statements`` computes what the auditor receives.
"""

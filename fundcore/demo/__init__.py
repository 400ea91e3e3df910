"""``fund demo``: a realistic programme run end to end (``fundcore.demo.programme.run``).

``people`` makes the youth and their application rows, ``counties`` the register,
``timeline`` orders the business events, ``intake`` and ``servicing`` carry them out
through the core services, and ``statements`` computes what the auditor receives.
"""

from fundcore.demo import messages  # noqa: F401, E402  (registers the demo's texts)

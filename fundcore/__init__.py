"""fundcore: loan-guarantee, interest-free-loan and micro-grant fund management engine.

The rooms, from the bottom up: ``messages`` (the catalogue of user texts), ``domain``
(pure rules and values), ``store`` (database, journal, audit), ``intake`` (reading
sheets, registers and bank files), ``services`` (one use case each), ``statements``
(what auditors read, as data). The CLI (``cli``) and the PDF statements (``reports``)
call these; ``fundcore.demo`` runs the programme end to end and nothing here imports it.
"""

__version__ = "0.1.0"

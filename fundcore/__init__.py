"""fundcore: loan-guarantee, interest-free-loan and micro-grant fund management engine.

The domain core. It knows nothing of click or reportlab: the CLI (``cli``) and the PDF
statements (``reports``) call the services here, and every write goes through one
``UnitOfWork``.
"""

__version__ = "0.1.0"

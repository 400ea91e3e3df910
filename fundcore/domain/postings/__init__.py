"""Posting recipes: what each business event posts to the ledger, as pure functions.

Each recipe takes the typed facts of one event (a pay-out, a repayment, a claim …) and
returns the ``EntryDraft``s it posts — the accounts, sides and amounts in fen, the entry
kind (``terms.EntryKind``) and the business object it belongs to. No database: a
service loads the facts, calls the recipe, and hands the drafts to the journal, so the
accounting of every event can be read, and tested by table, in one place.
"""

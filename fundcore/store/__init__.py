"""Where state lives: engines, the unit of work, models, bulk writers, the journal writer,
audit, tokens, verification, backup and the schema's migrations.

Services write through here; nothing here decides a business rule.
"""

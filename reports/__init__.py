"""PDF statements (reportlab): they render what the core computed, nothing more."""

"""Fuzzing every way input gets in: sheets, bank files, the register, CLI options."""

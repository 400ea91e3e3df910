"""Fault injection: real ``fund`` processes killed at random points."""

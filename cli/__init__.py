"""The ``fund`` command line: parses, calls the core's services, prints."""

"""The ``avg-assistent`` command line."""

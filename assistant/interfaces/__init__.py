"""The adapters people use: the command line and the web UI. They hold no rules."""

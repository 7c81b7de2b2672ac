"""Documents: ingest, versions, erasure, folder sync, official sources, starter pack."""

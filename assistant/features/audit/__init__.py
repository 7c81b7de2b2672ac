"""The append-only audit log and the retention purge."""

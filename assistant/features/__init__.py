"""Use cases, one folder per feature: model, store, service, report/export."""

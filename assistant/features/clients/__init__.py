"""Clients: create, list, rename, archive, reactivate and delete."""

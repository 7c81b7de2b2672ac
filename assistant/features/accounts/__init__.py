"""Accounts, roles, client assignments and access decisions."""

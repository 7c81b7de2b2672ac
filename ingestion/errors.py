"""The project's exception hierarchy, in the lowest layer so every layer can raise it.

::

    AvgError                     base; ``str(err)`` is a Dutch message fit for users
    ├── IngestionError           a file could not be read or parsed (the reason says why)
    │   └── UnsupportedFileError the file type is not supported
    ├── StoreError               the knowledge store cannot be used as asked
    │   ├── EmbedderMismatchError the store was built with another embedder
    │   ├── ScopeError           an unknown or invalid scope (fails closed)
    │   └── SchemaVersionError   a data file was written by a newer release
    └── ConfigError              settings are invalid or a component is missing

Only the CLI and the web UI turn these into output; the core raises them with a
Dutch message and never prints.
"""

from __future__ import annotations


class AvgError(Exception):
    """Base class; the message is Dutch and meant for the user."""


class IngestionError(AvgError):
    """A file could not be ingested; the message gives the Dutch reason."""


class UnsupportedFileError(IngestionError):
    """The file type is not supported."""


class StoreError(AvgError):
    """The knowledge store cannot do what was asked."""


class EmbedderMismatchError(StoreError):
    """The store was built with a different embedder than the one configured."""


class ScopeError(StoreError):
    """The scope is unknown or malformed."""


class SchemaVersionError(StoreError):
    """A SQLite file records a migration this release does not know: a newer release wrote it."""


class ConfigError(AvgError):
    """A setting is invalid or a configured component is unavailable."""

"""The one user-facing exception family.

The CLI and the UI catch ``CivilQAError`` only: its message is shown to the user
as is (Chinese first, English after). Anything else is a bug and surfaces.
"""


class CivilQAError(Exception):
    """Base class for errors whose message is meant for the user."""


class IngestError(CivilQAError):
    """A source file could not be read or understood."""


class IndexStoreError(CivilQAError):
    """The index on disk is missing, damaged or incompatible."""


# what every IndexStoreError tells the user to do (index.store and index.ann raise it)
REINGEST = "请重新导入：civilqa ingest（re-run `civilqa ingest`）"


class ConfigError(CivilQAError):
    """A setting has an invalid value."""


class InputError(CivilQAError):
    """A question or other user input is unusable (empty, too long...)."""

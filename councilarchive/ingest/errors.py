"""Why a file could not be ingested: one line, for the person who gave us the file."""


class IngestError(Exception):
    """Base class: str(exc) is a one-line message fit to show an officer."""

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))


class NotAPDF(IngestError):
    pass


class EncryptedPDF(IngestError):
    pass


class CorruptPDF(IngestError):
    pass


class EmptyPDF(IngestError):
    pass


class TooLarge(IngestError):
    pass

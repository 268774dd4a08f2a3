"""Why a document cannot be imported, in words the person who uploaded it can act on."""


class DocumentRefused(Exception):
    """The document was refused or could not be read; ``message`` says why and what to do."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

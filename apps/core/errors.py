"""The one exception type services raise. Views turn it into a form error or a message; the API
turns it into a 400 (or 409 for a conflict) with the same Chinese text."""


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class ConflictError(DomainError):
    """Someone else changed the record first (concurrent edit, double submission)."""

    status = 409

    def __init__(self, message: str, *, field: str | None = None, code: str = "conflict"):
        super().__init__(message, field=field, code=code)

"""The one exception type services raise. Views turn it into a form error or a message; the API
turns it into a 400 (or 409 for a conflict) with the same Chinese text."""


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid",
                 extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        # Machine-readable facts beside the sentence (a claim conflict's holder unit and end date);
        # the API adds them to the error body as fields of their own.
        self.extra = dict(extra or {})


class ConflictError(DomainError):
    """Someone else changed the record first (concurrent edit, double submission)."""

    status = 409

    def __init__(self, message: str, *, field: str | None = None, code: str = "conflict",
                 extra: dict | None = None):
        super().__init__(message, field=field, code=code, extra=extra)

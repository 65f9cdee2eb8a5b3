"""Domain errors. Verbs raise these; the API and views turn them into messages.

Each error carries a stable machine ``code`` (API clients branch on it) and a
translated human message. Domain code never imports the API layer.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A request that the domain refuses; nothing was changed."""

    code = "invalid"
    status = 400
    default_message = _("The request is not valid.")

    def __init__(self, message=None, *, code: str | None = None, field: str | None = None, **params):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.field = field
        self.params = params
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        data = {"code": self.code, "detail": str(self.message)}
        if self.field:
            data["field"] = self.field
        data.update({key: value for key, value in self.params.items() if value is not None})
        return data


class ValidationFailed(DomainError):
    code = "validation_failed"


class PermissionDenied(DomainError):
    """The actor may not perform this verb on an object it can see."""

    code = "permission_denied"
    status = 403
    default_message = _("You are not allowed to do this.")


class Conflict(DomainError):
    """Someone else changed the object first (optimistic check or state race)."""

    code = "conflict"
    status = 409
    default_message = _("The record was changed by someone else; reload and try again.")


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409

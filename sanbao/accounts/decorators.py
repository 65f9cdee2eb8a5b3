"""View guards: sign-in required, then a policy check; refusals are audited."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from sanbao.audit.actions import record_permission_denied


def require(check):
    """Let the view run only when ``check(request.user)`` holds; otherwise 403, recorded as a denial.

    Anonymous users are sent to the login page first.
    """

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not check(request.user):
                view_name = request.resolver_match.view_name if request.resolver_match else request.path
                record_permission_denied(actor=request.user, reason=f"view:{view_name}")
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(guarded)

    return decorator

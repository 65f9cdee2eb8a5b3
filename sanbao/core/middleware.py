"""Cross-cutting middleware: request ids for the audit trail."""

import re

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from sanbao.core.context import new_context

REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def client_ip(request) -> str | None:
    # Behind the reverse proxy only REMOTE_ADDR is trusted unless the operator
    # configures nginx to overwrite X-Real-IP (docs/operations.md).
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR")


class RequestIdMiddleware:
    """Give every request an id (or keep a well-formed X-Request-ID) and echo it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if REQUEST_ID_PATTERN.match(incoming) else None
        with new_context(request_id=request_id, client_ip=client_ip(request)) as context:
            request.request_id = context.request_id
            response = self.get_response(request)
        response["X-Request-ID"] = context.request_id
        return response


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose otherwise.

    Pages ignore the browser's Accept-Language (an office PC's English browser
    must not switch the UI): only the language cookie set by the switch counts.
    API clients state their language deliberately, so under /api/ the
    Accept-Language header is honoured as Django does.
    """

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None

"""Per-request context (request id, client IP) that the audit trail reads.

Set by RequestIdMiddleware for web requests; commands and tasks run with a
fresh id from ``new_context``.
"""

import contextvars
import uuid
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    client_ip: str | None = None


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("sanbao_request", default=None)


def current() -> RequestContext:
    context = _current.get()
    if context is None:
        context = RequestContext(request_id=uuid.uuid4().hex)
        _current.set(context)
    return context


@contextmanager
def new_context(request_id: str | None = None, client_ip: str | None = None):
    token = _current.set(RequestContext(request_id=request_id or uuid.uuid4().hex, client_ip=client_ip))
    try:
        yield _current.get()
    finally:
        _current.reset(token)

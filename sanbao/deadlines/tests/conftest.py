import pytest


@pytest.fixture
def outbox(settings):
    """SMS/e-mail deliveries go to a list instead of the console."""
    from sanbao.deadlines.delivery import LocmemBackend

    settings.NOTIFICATION_BACKENDS = ["sanbao.deadlines.delivery.LocmemBackend"]
    LocmemBackend.outbox = []
    return LocmemBackend.outbox

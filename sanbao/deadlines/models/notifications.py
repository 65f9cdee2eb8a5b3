from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanbao.deadlines.notices import render_notice


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(is_read=False)


class Notification(models.Model):
    """An in-app message to one person (warnings, escalations, supervision notices).

    Stores a machine ``code`` and its ``params``; the text is rendered in the
    reader's language when shown (``text``). ``delivered_at`` is set once the
    pluggable SMS/e-mail backends have sent it, so delivery is never repeated.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
        related_name="notifications",
    )
    code = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    is_read = models.BooleanField(_("read"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "is_read"], name="notification_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.code}"

    @property
    def text(self) -> str:
        return render_notice(self.code, self.params)

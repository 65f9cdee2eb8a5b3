from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanbao.audit import registry


class AppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    """One append-only, hash-chained row of the audit trail.

    ``seq`` is the primary key and contiguous (assigned under the chain-head
    lock); ``hash`` is the digest of ``prev_hash`` plus every other column, so
    altering, inserting or deleting any row breaks verification
    (``sanbao audit verify``). There is no surrogate id: every column is hashed.
    Written only by ``sanbao.audit.actions.record_event``.
    """

    seq = models.BigIntegerField(_("sequence"), primary_key=True)
    time = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    actor_username = models.CharField(_("actor username"), max_length=150, blank=True)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    event_code = models.CharField(_("event"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    area_code = models.CharField(_("area code"), max_length=15, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    client_ip = models.GenericIPAddressField(_("client IP"), null=True, blank=True)
    success = models.BooleanField(_("success"), default=True)
    prev_hash = models.CharField(max_length=80)
    hash = models.CharField(max_length=80)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        # The trail is read newest first with keyset pagination on seq, so
        # each filter of the audit UI has an index ending in seq.
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"], name="audit_object_seq_idx"),
            models.Index(fields=["actor_username", "seq"], name="audit_actor_seq_idx"),
            models.Index(fields=["event_code", "seq"], name="audit_code_seq_idx"),
            models.Index(fields=["request_id"], name="audit_request_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event_code}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events are never changed")
        if not registry.is_registered(self.event_code):
            raise ValueError(f"Unregistered audit event code {self.event_code!r}")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are pruned only by sanbao.audit.actions.prune_before")

    @property
    def event_label(self) -> str:
        return registry.label(self.event_code)


class AuditChainHead(models.Model):
    """Singleton: the last link of the chain, and the anchor left by pruning.

    Locked (SELECT … FOR UPDATE) by every writer so links are assigned one at a
    time. ``sanbao audit verify`` prints the head hash; recording it outside
    the database lets an operator detect a rewrite of the whole chain.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=80, default="")
    pruned_through_seq = models.BigIntegerField(default=0)
    pruned_anchor_hash = models.CharField(max_length=80, default="")

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_chain_head_singleton")]

    def __str__(self) -> str:
        return f"chain head at seq {self.last_seq}"

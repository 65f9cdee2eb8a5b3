from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanbao.matters.choices import MatterKind


class CategoryScheme(models.Model):
    """One version of the category dictionary of one kind of matter.

    Dictionaries change (GB/T 31000 code tables were not available, local
    practice varies), so they are versioned: at most one scheme per kind is
    current, and a retired scheme keeps its categories so old matters still
    show the category they were registered under.
    """

    kind = models.CharField(_("kind"), max_length=32, choices=MatterKind.choices)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=100)
    is_current = models.BooleanField(_("current"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("category scheme")
        verbose_name_plural = _("category schemes")
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="category_scheme_version_unique"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(is_current=True), name="category_scheme_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class CategoryQuerySet(models.QuerySet):
    def current(self, kind: str | None = None):
        """Active categories of the current scheme (of one kind when given)."""
        rows = self.filter(scheme__is_current=True, is_active=True)
        return rows.filter(scheme__kind=kind) if kind else rows


class Category(models.Model):
    """A category of matters (two levels: ``parent`` is the first level)."""

    scheme = models.ForeignKey(
        CategoryScheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="categories"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["scheme", "sort_order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="category_code_unique_in_scheme")
        ]

    def __str__(self) -> str:
        if self.parent_id is None:
            return self.name
        return f"{self.parent.name} / {self.name}"

    @property
    def kind(self) -> str:
        return self.scheme.kind

"""Forms of the matters pages: intake (with parties and area picker) and one small form per operation.

Forms check shape (required, types, choices offered to this user) and call
the same validators the verbs use (``actions.parties.build_party``,
``attachments.check_files``, ``Matter.clean``), so a mistake is shown next to
its field before anything is written. The verbs check everything again.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanbao.core.errors import DomainError
from sanbao.core.ui import style_form
from sanbao.matters.actions.handling import FEEDBACK_STAGES
from sanbao.matters.actions.parties import build_party
from sanbao.matters.attachments import check_files
from sanbao.matters.choices import (
    FollowUpMethod,
    IdType,
    LegalRoute,
    MatterKind,
    PartyRole,
    PartyType,
    PetitionOpinion,
    ReviewDecision,
    ReviewOpinion,
    RiskLevel,
    Satisfaction,
    SourceChannel,
)
from sanbao.matters.models import Category
from sanbao.matters.policy import assignable_units
from sanbao.org.choices import AreaLevel
from sanbao.org.models import Area

# Labels of the inputs a workflow transition may require (help page, error messages).
INPUT_LABELS = {
    "lead_unit": _("Lead unit"),
    "co_units": _("Co-units"),
    "reason": _("Reason"),
    "result": _("Result"),
    "opinion": _("Opinion"),
    "decision": _("Decision"),
    "method": _("Method"),
    "satisfaction": _("Satisfaction"),
    "summary": _("Summary"),
    "area": _("Area"),
    "route": _("Legal procedure"),
    "body": _("Sent to"),
    "reviewing_unit": _("Reviewing organ"),
}


def input_label(name: str) -> str:
    return str(INPUT_LABELS.get(name, name))


class MarkedBoundField(BoundField):
    """Adds Bootstrap's ``is-invalid`` to a widget whose field has errors (the message shows beside it)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.errors:
            attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
        return attrs


class SanbaoForm(forms.Form):
    """Base of the matters forms: Bootstrap classes, error marks on the widgets."""

    bound_field_class = MarkedBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup()
        style_form(self)

    def setup(self) -> None:
        """Adjust fields for this request (choices offered to this user only)."""


def htmx_get(url, target: str, trigger: str = "change") -> dict:
    """Widget attributes that reload ``target`` from ``url`` when the field changes."""
    return {"hx-get": url, "hx-target": target, "hx-trigger": trigger, "hx-sync": "this:replace"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; checked with the attachments module's rules (type, content, size)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        try:
            check_files(files)
        except DomainError as error:
            raise ValidationError(str(error.message), code=error.code) from None
        return files


def apply_domain_error(form, error: DomainError) -> None:
    """Show a verb's domain error next to the field it names (or above the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


def _area_choices(queryset) -> list[tuple[str, str]]:
    return [("", "—")] + [(area.code, area.name) for area in queryset]


def child_areas(user, parent_code: str, level: str):
    """Current areas of ``level`` directly under ``parent_code`` that ``user`` may register in."""
    if not parent_code:
        return Area.objects.none()
    return (
        Area.objects.current().visible_to(user).filter(parent__code=parent_code, level=level).order_by("code")
    )


def townships_for(user):
    """The townships a clerk may register in: their own, or every township under a county centre."""
    areas = Area.objects.current().visible_to(user).filter(level=AreaLevel.TOWNSHIP).order_by("code")
    return areas


class IntakeForm(SanbaoForm):
    """Registering a matter (登记). Area comes from three linked pickers: township → village → grid."""

    kind = forms.ChoiceField(label=_("Kind"), choices=MatterKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    narrative = forms.CharField(
        label=_("Narrative"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(), empty_label="—")
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices, initial=RiskLevel.LOW)
    source_channel = forms.ChoiceField(label=_("Source channel"), choices=SourceChannel.choices)
    received_at = forms.DateTimeField(
        label=_("Received at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    township = forms.ChoiceField(label=_("Township / street"))
    village = forms.ChoiceField(label=_("Village / community"), required=False)
    grid = forms.ChoiceField(label=_("Grid"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    people_count = forms.IntegerField(label=_("Number of people"), min_value=1, initial=1)
    attachments = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self._set_category_choices()
        self._set_area_choices()
        fields = self.fields
        fields["kind"].widget.attrs.update(
            {"autofocus": True, **htmx_get(reverse_lazy("matters:category_options"), "#id_category")}
        )
        village_url = f"{reverse_lazy('matters:area_options')}?level=village"
        fields["township"].widget.attrs.update(htmx_get(village_url, "#id_village"))
        grid_url = f"{reverse_lazy('matters:area_options')}?level=grid"
        fields["village"].widget.attrs.update(htmx_get(grid_url, "#id_grid"))

    def _chosen(self, name: str) -> str:
        return (self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)) or ""

    def _set_category_choices(self) -> None:
        kind = self._chosen("kind") or MatterKind.DISPUTE
        categories = Category.objects.current(kind).select_related("parent").order_by("sort_order", "code")
        self.fields["category"].queryset = categories

    def _set_area_choices(self) -> None:
        townships = list(townships_for(self.user))
        self.fields["township"].choices = _area_choices(townships)
        if len(townships) == 1 and not self._chosen("township"):
            self.fields["township"].initial = townships[0].code
        township = self._chosen("township") or self.fields["township"].initial or ""
        villages = child_areas(self.user, township, AreaLevel.VILLAGE)
        self.fields["village"].choices = _area_choices(villages)
        grids = child_areas(self.user, self._chosen("village"), AreaLevel.GRID)
        self.fields["grid"].choices = _area_choices(grids)

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("grid") or cleaned.get("village") or cleaned.get("township")
        if code:
            area = Area.objects.current().visible_to(self.user).filter(code=code).first()
            if area is None:
                self.add_error("township", _("This area lies outside your jurisdiction."))
            cleaned["area"] = area
        category = cleaned.get("category")
        if category is not None and cleaned.get("kind") and category.scheme.kind != cleaned["kind"]:
            self.add_error("category", _("This category belongs to another kind of matter."))
        return cleaned


class PartyForm(SanbaoForm):
    """One party row. Validated by the same ``build_party`` the register verb uses."""

    party_type = forms.ChoiceField(label=_("Type"), choices=PartyType.choices, initial=PartyType.PERSON)
    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices, initial=PartyRole.APPLICANT)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    id_type = forms.ChoiceField(label=_("ID type"), choices=[("", "—"), *IdType.choices], required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=40, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    def setup(self) -> None:
        lookup = htmx_get(
            reverse_lazy("matters:party_lookup"), "#party-lookup", "change, keyup changed delay:500ms"
        )
        for name in ("id_number", "phone"):
            self.fields[name].widget.attrs.update({**lookup, "autocomplete": "off"})

    def has_content(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("name", "id_number", "phone", "address"))

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in ("name", "id_number", "phone", "address")):
            return cleaned
        try:
            build_party(cleaned)
        except DomainError as error:
            apply_domain_error(self, error)
        return cleaned


PartyFormSet = forms.formset_factory(PartyForm, extra=1, max_num=50, validate_max=True)


# --- One small form per operation on the matter page ----------------------------------------------


class ActionForm(SanbaoForm):
    """Base of the operation forms: knows the matter and the user; carries the version the user saw.

    The version makes a decision taken on a stale page fail with a conflict
    message instead of silently applying to a matter someone else has moved.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, matter, user, **kwargs):
        self.matter, self.user = matter, user
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = matter.version


def _text(label, required=True, rows=3, max_length=4000):
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )


class ConfirmForm(ActionForm):
    """An operation with no input of its own (签收)."""


class AcceptForm(ActionForm):
    comment = _text(_("Comment"), required=False, rows=2, max_length=2000)


class ReasonForm(ActionForm):
    reason = _text(_("Reason"), max_length=2000)


class AssignForm(ActionForm):
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=None)
    co_units = forms.ModelMultipleChoiceField(
        label=_("Co-units"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    instructions = _text(_("Instructions"), required=False, rows=2, max_length=2000)

    def setup(self) -> None:
        units = assignable_units(self.user, self.matter).select_related("area").order_by("area__code", "name")
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units


class ReassignForm(AssignForm):
    reason = _text(_("Reason"), required=False, rows=2, max_length=2000)


class TransferForm(ActionForm):
    area = forms.ChoiceField(label=_("To the centre of"))
    reason = _text(_("Reason"), max_length=2000)

    def setup(self) -> None:
        own = self.matter.area_code[:9]
        townships = Area.objects.current().filter(level=AreaLevel.TOWNSHIP, code__startswith=own[:6])
        self.fields["area"].choices = [("", "—")] + [
            (area.code, area.name) for area in townships.order_by("code") if not area.code.startswith(own)
        ]


class ConsultForm(ActionForm):
    summary = _text(_("Summary of the consultation"))
    participants = forms.CharField(label=_("Participants"), max_length=500, required=False)


class FeedbackForm(ActionForm):
    result = _text(_("Result"), rows=4)
    opinion = forms.ChoiceField(label=_("Opinion"), required=False)
    is_resolved = forms.BooleanField(label=_("Resolved"), required=False, initial=True)
    attachments = MultipleFileField(label=_("Attachments"))

    def setup(self) -> None:
        if self.matter.state in FEEDBACK_STAGES:
            choices = ReviewOpinion.choices
        elif self.matter.kind == MatterKind.PETITION:
            choices = PetitionOpinion.choices
        else:
            del self.fields["opinion"]
            return
        self.fields["opinion"].choices = [("", "—"), *choices]
        self.fields["opinion"].required = True


class ReviewForm(ActionForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    comment = _text(_("Comment (required when returning)"), required=False, rows=2, max_length=2000)


class FollowUpForm(ActionForm):
    method = forms.ChoiceField(label=_("Method"), choices=FollowUpMethod.choices)
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = _text(_("Comment"), required=False, rows=2, max_length=2000)


class RequestReviewForm(ActionForm):
    reason = _text(_("Reason"), max_length=2000)
    reviewing_unit = forms.ModelChoiceField(label=_("Reviewing organ"), queryset=None)
    requested_on = forms.DateField(label=_("Requested on"), widget=forms.DateInput(attrs={"type": "date"}))

    def setup(self) -> None:
        units = assignable_units(self.user, self.matter).order_by("area__code", "name")
        self.fields["reviewing_unit"].queryset = units
        self.fields["requested_on"].initial = timezone.localdate()


class LegalChannelForm(ActionForm):
    route = forms.ChoiceField(label=_("Legal procedure"), choices=LegalRoute.choices)
    body = forms.CharField(label=_("Sent to"), max_length=200)
    comment = _text(_("Comment"), required=False, rows=2, max_length=2000)


class NoteForm(ActionForm):
    text = _text(_("Note"))


class ExtensionRequestForm(ActionForm):
    days = forms.IntegerField(label=_("Days requested"), min_value=1, max_value=90)
    reason = _text(_("Reason"), max_length=2000)


class ExtensionDecideForm(ActionForm):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Deny"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    comment = _text(_("Comment"), required=False, rows=2, max_length=2000)


class SuperviseForm(ActionForm):
    notice = _text(_("Notice"), max_length=2000)
    due_date = forms.DateField(label=_("New deadline"), widget=forms.DateInput(attrs={"type": "date"}))


class InstructForm(ActionForm):
    text = _text(_("Instruction"), max_length=2000)


class TakeChargeForm(ActionForm):
    text = _text(_("Comment"), required=False, rows=2, max_length=2000)

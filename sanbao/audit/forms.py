"""The filter form of the audit trail pages (list and CSV export share it)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanbao.audit import registry
from sanbao.audit.queries import TrailFilter
from sanbao.core.ui import style_form

OUTCOMES = {"success": True, "failure": False}


class MomentInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class TrailFilterForm(forms.Form):
    """Filters on time (from inclusive, until exclusive), actor, event, object, outcome and request id."""

    since = forms.DateTimeField(label=_("From"), required=False, widget=MomentInput())
    until = forms.DateTimeField(label=_("Until"), required=False, widget=MomentInput())
    actor = forms.CharField(label=_("User name"), required=False, max_length=150)
    event_code = forms.ChoiceField(label=_("Event"), required=False)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=64)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False,
        choices=[("", _("Any")), ("success", _("Succeeded")), ("failure", _("Failed"))],
    )
    request_id = forms.CharField(label=_("Request id"), required=False, max_length=64)
    cursor = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_code"].choices = [("", _("Any event")), *registry.choices()]
        style_form(self)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since >= until:
            self.add_error("until", _("The end must be after the start."))
        return cleaned

    def trail_filter(self) -> TrailFilter:
        data = self.cleaned_data
        return TrailFilter(
            since=data["since"], until=data["until"], actor_username=data["actor"].strip(),
            event_code=data["event_code"], object_type=data["object_type"].strip(),
            object_id=data["object_id"].strip(), success=OUTCOMES.get(data["outcome"]),
            request_id=data["request_id"].strip(),
        )

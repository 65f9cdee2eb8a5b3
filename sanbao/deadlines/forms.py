"""Forms of the deadlines pages. They only parse input; the verbs validate and write."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from sanbao.core.textfiles import decode
from sanbao.core.ui import style_form
from sanbao.deadlines.choices import CountUnit, DayKind, PauseReason
from sanbao.org.choices import Role


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class SpecialDayForm(StyledForm):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Type"), choices=DayKind.choices)
    name = forms.CharField(label=_("Name"), max_length=60, required=False)


class CalendarImportForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    file = forms.FileField(label=_("CSV file (date,type,name)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 200_000:
            raise forms.ValidationError(_("The file is too large for one year of holidays."))
        try:
            return decode(upload.read())
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file must be UTF-8 or GBK (GB18030) text.")) from error


class RuleForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    amount = forms.IntegerField(label=_("Amount"), min_value=1, max_value=3650)
    unit = forms.ChoiceField(label=_("Unit"), choices=CountUnit.choices)
    pause_events = forms.MultipleChoiceField(
        label=_("Pause events"), choices=PauseReason.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    extension_cap = forms.IntegerField(label=_("Extension cap (days)"), min_value=0, max_value=365)
    extension_approver_role = forms.ChoiceField(
        label=_("Extension approved by"), choices=[("", "—"), *Role.choices], required=False
    )
    warn_share = forms.DecimalField(label=_("Warn when this share has passed"), min_value=Decimal("0.05"),
                                    max_value=Decimal("1"), decimal_places=2)
    warn_working_days = forms.IntegerField(
        label=_("Warn when working days remain"), min_value=0, max_value=60
    )
    escalates = forms.BooleanField(label=_("Escalates when overdue"), required=False)
    basis = forms.CharField(label=_("Legal basis"), max_length=200, required=False)
    change_note = forms.CharField(label=_("Reason for the change"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pause_events"].widget.attrs["class"] = ""
        self.fields["escalates"].widget.attrs["class"] = "form-check-input"


class PauseForm(StyledForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=PauseReason.choices)

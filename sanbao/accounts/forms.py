"""Forms of the account pages. They only collect input; the verbs in actions.py decide."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.translation import gettext_lazy as _

from sanbao.core.errors import DomainError
from sanbao.org.choices import Role
from sanbao.org.models import Unit, User


def apply_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a verb's refusal on the field it names (or on the whole form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


class BootstrapMixin:
    """Give every widget Bootstrap's classes so templates can render fields plainly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class LoginForm(BootstrapMixin, AuthenticationForm):
    pass


class PasswordChangeForm(BootstrapMixin, forms.Form):
    old_password = forms.CharField(
        label=_("Current password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password = forms.CharField(
        label=_("New password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=" ".join(str(text) for text in password_validators_help_texts()),
    )
    new_password_again = forms.CharField(
        label=_("New password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data


class TokenForm(BootstrapMixin, forms.Form):
    token = forms.CharField(
        label=_("Six-digit code"), min_length=6, max_length=8,
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*", "autofocus": True,
        }),
    )


class SecurityPolicyForm(BootstrapMixin, forms.Form):
    password_max_age_days = forms.IntegerField(
        label=_("Password maximum age (days)"), min_value=0,
        help_text=_("After this many days the password must be changed. 0 means never."),
    )
    idle_timeout_minutes = forms.IntegerField(
        label=_("Idle timeout (minutes)"), min_value=1,
        help_text=_("A session without any request for this long is signed out."),
    )
    totp_roles = forms.MultipleChoiceField(
        label=_("Roles that must use an authenticator"), choices=Role.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class UserForm(BootstrapMixin, forms.Form):
    """Create (with username) or edit an account. Units offered are the actor's jurisdiction."""

    username = forms.CharField(
        label=_("Username"), max_length=150,
        help_text=_("Letters, digits and @ . + - _ only; cannot be changed later."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=50, required=False)
    phone = forms.CharField(label=_("Office phone"), max_length=20, required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())

    def __init__(self, *args, actor, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(actor).select_related("area")
        self.fields["unit"].queryset = units.order_by("area__code", "name")
        if editing:
            del self.fields["username"]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        for validator in User._meta.get_field("username").validators:
            validator(username)
        return username


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("An administrator role cannot be combined with any other role (三员分立)."),
    )

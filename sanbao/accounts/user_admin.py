"""User management pages (/accounts/users/): thin views over the account verbs.

The system administrator creates, edits, deactivates accounts and issues
one-time passwords; the security administrator grants roles, unlocks locked
accounts and removes lost authenticators. Every page is scoped to the actor's
jurisdiction: an account outside it is a 404 (audited by ``access_object``).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanbao.accounts import actions, lockout
from sanbao.accounts.decorators import require
from sanbao.accounts.forms import RolesForm, UserForm, apply_domain_error
from sanbao.accounts.models import SecurityPolicy
from sanbao.accounts.policy import (
    account_queryset,
    can_view_accounts,
    is_security_admin,
    is_system_admin,
    manageable_users,
    must_change_password,
    password_expired,
)
from sanbao.core.errors import DomainError
from sanbao.org.jurisdiction import access_object

PAGE_SIZE = 50


def _load(request, pk):
    """The account, or 404 when missing or outside the jurisdiction (the latter audited)."""
    return access_object(request.user, account_queryset(), pk=pk)


@require(can_view_accounts)
def user_list(request):
    users = manageable_users(request.user).order_by("unit__area__code", "username")
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    status = request.GET.get("status", "")
    if status in {"active", "inactive"}:
        users = users.filter(is_active=status == "active")
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    locked = lockout.locked_accounts(user.username for user in page.object_list)
    rows = [(user, locked.get(user.username)) for user in page.object_list]
    context = {"page": page, "rows": rows, "query": query, "status": status,
               "can_create": is_system_admin(request.user)}
    return render(request, "accounts/user_list.html", context)


@never_cache
@require(is_system_admin)
def user_create(request):
    form = UserForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = actions.create_account(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _show_one_time_password(request, user, password, created=True)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


def _show_one_time_password(request, user, password: str, *, created: bool):
    """The one place a one-time password is ever shown: this response, not cached, not stored."""
    context = {"account": user, "password": password, "created": created}
    return render(request, "accounts/one_time_password.html", context)


@require(can_view_accounts)
def user_detail(request, pk: int):
    user = _load(request, pk)
    policy = SecurityPolicy.current()
    context = {
        "account": user,
        "locked_until": lockout.locked_until(user.username),
        "one_time": must_change_password(user),
        "expired": password_expired(user, policy),
        "has_authenticator": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "is_self": user.pk == request.user.pk,
        "as_system_admin": is_system_admin(request.user),
        "as_security_admin": is_security_admin(request.user),
    }
    return render(request, "accounts/user_detail.html", context)


@require(is_system_admin)
def user_edit(request, pk: int):
    user = _load(request, pk)
    initial = {"full_name": user.full_name, "phone": user.phone, "unit": user.unit}
    form = UserForm(request.POST or None, actor=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_account(user, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The account has been saved."))
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "account": user, "creating": False})


@require(is_security_admin)
def user_roles(request, pk: int):
    user = _load(request, pk)
    form = RolesForm(request.POST or None, initial={"roles": sorted(user.roles)})
    if request.method == "POST" and form.is_valid():
        try:
            actions.grant_roles(user, form.cleaned_data["roles"], actor=request.user)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The roles have been saved."))
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_roles.html", {"form": form, "account": user})


def _post_action(verb, success_message: str):
    """A POST-only page action: run ``verb(user, actor=…)``, report, back to the account page."""

    def view(request, pk: int):
        user = _load(request, pk)
        try:
            verb(user, actor=request.user)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, str(success_message))
        return redirect("accounts:user_detail", pk=user.pk)

    return require_POST(view)


user_deactivate = require(is_system_admin)(
    _post_action(actions.deactivate_user, gettext_lazy("The account is deactivated."))
)
user_reactivate = require(is_system_admin)(
    _post_action(actions.reactivate_user, gettext_lazy("The account is active again."))
)
user_unlock = require(is_security_admin)(
    _post_action(actions.unlock_user, gettext_lazy("The account is unlocked."))
)
user_reset_authenticator = require(is_security_admin)(
    _post_action(actions.reset_totp, gettext_lazy("The authenticator is removed; the user will enrol again."))
)


@never_cache
@require_POST
@require(is_system_admin)
def user_reset_password(request, pk: int):
    user = _load(request, pk)
    try:
        password = actions.reset_password(user, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("accounts:user_detail", pk=user.pk)
    return _show_one_time_password(request, user, password, created=False)

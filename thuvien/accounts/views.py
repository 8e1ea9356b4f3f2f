"""Login, profile, the active-membership switch and the personal API token."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rest_framework.authtoken.models import Token

from thuvien.access import (
    SESSION_KEY,
    Action,
    get_scoped_or_404,
    memberships_of,
    requires,
    scope_for,
)
from thuvien.accounts.forms import ProfileForm, SwitchMembershipForm
from thuvien.accounts.models import User
from thuvien.core import history
from thuvien.organisations import queries


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    token = Token.objects.filter(user=user).first()
    context = {
        "form": form,
        "token": token,
        "memberships": memberships_of(request.user),
        "history": history.rows_for(user, scope_for(request)),
    }
    return render(request, "accounts/profile.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def switch_membership(request: HttpRequest) -> HttpResponse:
    form = SwitchMembershipForm(request.POST)
    if form.is_valid():
        chosen = form.cleaned_data["membership"]
        if any(m.pk == chosen for m in memberships_of(request.user)):
            request.session[SESSION_KEY] = chosen
            messages.success(request, _("You switched role."))
        else:
            messages.error(request, _("That role is not yours or has ended."))
    # A page of the previous role may lie outside the new scope: go home rather than to a 404.
    return redirect("core:home")


@login_required
@require_POST
def regenerate_token(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    Token.objects.filter(user=user).delete()
    Token.objects.create(user=user)
    messages.success(request, _("A new API token was created; the old one no longer works."))
    return redirect("accounts:profile")


@requires(Action.VIEW_STAFF)
@require_GET
def person_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    """A person as their supervisors see them: profile, roles in scope, and (for roles that may
    read it) the audit trail of their profile and of those roles."""
    scope = scope_for(request)
    person = get_scoped_or_404(User.objects.all(), scope, pk=user_id)
    can_read_history = scope.can(Action.VIEW_HISTORY)
    context = {
        "person": person,
        "memberships": queries.memberships_of_person(person, scope),
        "history": queries.person_history(person, scope) if can_read_history else None,
    }
    return render(request, "accounts/person_detail.html", context)

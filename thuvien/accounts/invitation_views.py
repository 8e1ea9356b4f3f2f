"""Sending a new invitation to an account that has not chosen its password yet."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thuvien.access import Action, get_scoped_or_404, requires, scope_for
from thuvien.accounts import services
from thuvien.accounts.models import User


@requires(Action.MANAGE_STAFF)
@require_POST
def resend_invitation(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_scoped_or_404(User.objects.all(), scope_for(request), pk=user_id)
    try:
        services.resend_invitation(person)
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("A new invitation to choose a password is on its way to %(email)s.")
            % {"email": person.email},
        )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect("organisations:staff_list")

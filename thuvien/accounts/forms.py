from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from thuvien.accounts.models import User
from thuvien.core.mail import automatic_email, site_url


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username or e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "The username/e-mail or the password is wrong. Both are case-sensitive for the "
            "password; check Caps Lock and try again."
        ),
        "inactive": _("This account has been disabled. Contact your administrator."),
    }


class ProfileForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "qualification", "email_digest"]

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip()
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another account already uses this e-mail address."))
        return email


class SwitchMembershipForm(forms.Form):
    membership = forms.IntegerField()


class SitePasswordResetForm(PasswordResetForm):
    """The reset e-mail links to SITE_URL (`{{ site }}`), never to the host the request named
    (a forged Host header must not choose where the reset link points), and is marked
    automatic."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        context = {**context, "site": site_url()}
        subject = loader.render_to_string(subject_template_name, context)
        body = loader.render_to_string(email_template_name, context)
        automatic_email(subject, body, [to_email]).send()

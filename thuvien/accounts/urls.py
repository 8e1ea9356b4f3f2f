from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from thuvien.accounts import import_views, invitation_views, views
from thuvien.accounts.forms import LoginForm, SitePasswordResetForm

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=SitePasswordResetForm,
            success_url=reverse_lazy("accounts:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password-change/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:profile")),
        name="password_change",
    ),
    path("profile/", views.profile, name="profile"),
    path("profile/token/", views.regenerate_token, name="regenerate_token"),
    path("membership/", views.switch_membership, name="switch_membership"),
    path("staff-import/", import_views.staff_import, name="staff_import"),
    path(
        "staff-import/template.xlsx",
        import_views.staff_import_template,
        name="staff_import_template",
    ),
    path(
        "staff-import/<uuid:batch_id>/confirm/",
        import_views.staff_import_confirm,
        name="staff_import_confirm",
    ),
    path(
        "staff-import/<uuid:batch_id>/",
        import_views.staff_import_status,
        name="staff_import_status",
    ),
    path("staff/<int:user_id>/", views.person_detail, name="person_detail"),
    path(
        "staff/<int:user_id>/resend-invitation/",
        invitation_views.resend_invitation,
        name="resend_invitation",
    ),
]

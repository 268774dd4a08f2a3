"""URLs of ``accounts.pages`` (in the ``accounts`` namespace: ``accounts.urls`` adds them)."""

from django.urls import path

from .. import two_factor
from . import access, account, invitations, password_reset, people, public

urlpatterns = [
    # Public pages, signed in or not.
    path("accessibility/", public.accessibility, name="accessibility"),
    path("privacy/", public.privacy, name="privacy"),
    path("cookies/", public.cookies, name="cookies"),
    path("signed-out/", public.signed_out, name="signed_out"),
    # Forgotten password (Django's reset flow).
    path("password-reset/", password_reset.ForgotPasswordView.as_view(), name="password_reset"),
    path("password-reset/sent/", password_reset.ResetSentView.as_view(), name="password_reset_sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        password_reset.ResetPasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", password_reset.ResetDoneView.as_view(), name="password_reset_done"),
    # Your account.
    path("account/", account.account, name="account"),
    path("account/confirm-password/", account.confirm_password, name="confirm_password"),
    path("account/password/", account.change_password, name="password_change"),
    path("account/email/", account.change_email, name="email_change"),
    path("account/email/<str:token>/", account.email_confirm, name="email_confirm"),
    path("account/sessions/", account.session_list, name="sessions"),
    path("account/sessions/<int:pk>/end/", account.session_end, name="session_end"),
    path("account/sessions/end-others/", account.session_end_others, name="session_end_others"),
    path("session/status/", account.session_status, name="session_status"),
    path("session/keep-alive/", account.session_keep_alive, name="session_keep_alive"),
    # Two-factor sign-in: an administrator's set-up link; replacing or removing the device.
    path("two-factor/link/<uidb64>/<token>/", two_factor.link, name="two_factor_link"),
    path("two-factor/replace/", two_factor.replace, name="two_factor_replace"),
    path("two-factor/remove/", two_factor.remove, name="two_factor_remove"),
    # Invitations: the invitee's link, and the inviter's pages.
    path("invitation/<uidb64>/<token>/", invitations.invitation_accept, name="invitation_accept"),
    path("invitation/<uidb64>/", invitations.invitation_set_up, name="invitation_set_up"),
    path("people/invite/", invitations.invite, name="invite"),
    path("people/invite/csv/", invitations.invitation_import, name="invitation_import"),
    path("people/invitations/", invitations.invitation_list, name="invitations"),
    path("people/invitations/<int:pk>/resend/", invitations.invitation_resend, name="invitation_resend"),
    path("people/invitations/<int:pk>/cancel/", invitations.invitation_cancel, name="invitation_cancel"),
    # People.
    path("people/", people.people_list, name="people"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/role/", people.person_change, name="person_change"),
    path("people/<int:pk>/switch-off/", people.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/switch-on/", people.person_reactivate, name="person_reactivate"),
    path("people/<int:pk>/two-factor-link/", people.person_two_factor_link, name="person_two_factor_link"),
    # Providers with nobody on the portal ask for access.
    path("request-access/sent/", access.access_request_sent, name="access_request_sent"),
    path("request-access/<str:token>/", access.access_request_form, name="access_request_form"),
    path("people/access-requests/", access.access_request_list, name="access_requests"),
    path("people/access-requests/<int:pk>/", access.access_request_detail, name="access_request_detail"),
]

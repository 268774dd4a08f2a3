"""People, invitations, access requests, your own account, the forgotten password, the session
timeout and the public pages: every page and POST for every role.

Who may do what (``accounts.people``): the administrator of the world is a system administrator
(anyone, anywhere); a GO director invites and manages their region's CSAs and authority users; a CSA
invites the DCS and officers of the authorities they lead (Newcastle, Gateshead) and the advisers of
providers they invited, and decides those providers' access requests. Everyone else: 404.
"""

from urllib.parse import urlparse

from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from accounts.models import AccessRequest, Invitation, Role, User, UserSession
from accounts.services import access_request_link, invite_user
from accounts.tokens import encode_id
from tests.matrix import Case, everyone
from tests.plans.factories import OfferFactory
from tests.providers.factories import ProviderFactory

PUBLIC = everyone(200, anonymous=200)
INVITERS = {"admin": 200, "go_director": 200, "go_director_other": 200, "csa": 200, "csa_other": 200}
PEOPLE = {"admin": 200, "go_director": 200, "go_director_other": 200}
#: Who manages the North East's CSA and Newcastle's users (the world's admin is a system administrator).
NE_MANAGERS = ("admin", "go_director")


def _redirect(roles):
    return {role: 302 for role in roles}


# --- objects the cases need ------------------------------------------------------------------------


def _pending_invitation(w):
    """The CSA has invited an officer of Newcastle."""
    return {
        "invitation": invite_user(
            actor=w.csa,
            email="new.officer@example.gov.uk",
            full_name="Nia New",
            role=Role.LA_OFFICER,
            authority=w.newcastle,
        )
    }


def _invited_provider(w):
    """A provider serving the North East, invited by the CSA on a Newcastle plan, with nobody on the
    portal; someone from it has asked for access."""
    provider = ProviderFactory(
        name="Regional Learning Partnership", abbreviation="RLP", contact_email="hello@rlp.example.org"
    )
    provider.regions.set([w.ne])
    OfferFactory(priority__jisp__authority=w.newcastle, provider=provider, invited_by=w.csa)
    access = AccessRequest.objects.create(provider=provider, full_name="Rae Learner", email="rae@rlp.example.org")
    return {"provider": provider, "access": access, "link": urlparse(access_request_link(provider)).path}


def _other_session_of_csa(w):
    store = SessionStore()
    store["_auth_user_id"] = str(w.csa.pk)
    store.create()
    return {
        "row": UserSession.objects.create(session_key=store.session_key, user=w.csa, user_agent="Firefox on Windows")
    }


def _switched_off_officer(w):
    User.objects.filter(pk=w.la_officer.pk).update(is_active=False)
    return {}


# --- what changed ------------------------------------------------------------------------------------


def _invited_only_by_inviters(w, o, role, response):
    made = Invitation.objects.filter(email="gates.officer@example.gov.uk").exists()
    assert made == (role in ("csa", "go_director", "admin")), f"{role}: invitation made={made}"


def _cancelled_only_by(roles):
    def check(w, o, role, response):
        cancelled = Invitation.objects.get(pk=o["invitation"].pk).cancelled_at is not None
        assert cancelled == (role in roles), f"{role}: cancelled={cancelled}"

    return check


def _resent_only_by(roles):
    def check(w, o, role, response):
        resent = Invitation.objects.get(pk=o["invitation"].pk).sent_at > o["invitation"].sent_at
        assert resent == (role in roles), f"{role}: resent={resent}"

    return check


def _officer_moved_only_by_managers(w, o, role, response):
    moved = User.objects.get(pk=w.la_officer.pk).authority_id == w.gateshead.pk
    assert moved == (role in NE_MANAGERS), f"{role}: moved={moved}"


def _csa_switched_off_only_by_managers(w, o, role, response):
    off = not User.objects.get(pk=w.csa.pk).is_active
    assert off == (role in NE_MANAGERS), f"{role}: switched off={off}"


def _officer_back_only_by_managers(w, o, role, response):
    on = User.objects.get(pk=w.la_officer.pk).is_active
    assert on == (role in NE_MANAGERS), f"{role}: switched on={on}"


def _link_sent_only_by_managers(w, o, role, response):
    from accounts.models import OutboundEmail

    sent = OutboundEmail.objects.filter(recipient=w.dcs.email, key__startswith="two-factor-link:").exists()
    assert sent == (role in NE_MANAGERS), f"{role}: link sent={sent}"


def _approved_only_by_deciders(w, o, role, response):
    access = AccessRequest.objects.get(pk=o["access"].pk)
    approved = access.status == AccessRequest.Status.APPROVED and access.invitation is not None
    assert approved == (role in ("csa", "admin")), f"{role}: approved={approved}"


def _other_session_ended_only_for_csa(w, o, role, response):
    ended = not UserSession.objects.filter(pk=o["row"].pk).exists()
    assert ended == (role == "csa"), f"{role}: ended={ended}"


def _no_reset_email(w, o, role, response):
    from accounts.models import OutboundEmail

    assert not OutboundEmail.objects.filter(key__startswith="password-reset:").exists()


CASES = [
    # Public pages: anyone, signed in or not.
    Case("accessibility statement", "accounts:accessibility", lambda w, o: reverse("accounts:accessibility"), PUBLIC),
    Case("privacy notice", "accounts:privacy", lambda w, o: reverse("accounts:privacy"), PUBLIC),
    Case("cookies page", "accounts:cookies", lambda w, o: reverse("accounts:cookies"), PUBLIC),
    Case("signed out page", "accounts:signed_out", lambda w, o: reverse("accounts:signed_out"), PUBLIC),
    # Forgotten password (Django's flow): the same pages for everyone.
    Case("forgot password page", "accounts:password_reset", lambda w, o: reverse("accounts:password_reset"), PUBLIC),
    Case(
        "forgot password with a malformed email",
        "accounts:password_reset",
        lambda w, o: reverse("accounts:password_reset"),
        PUBLIC,
        method="post",
        data=lambda w, o: {"email": "not an email"},
        then=_no_reset_email,
    ),
    Case(
        "reset link sent page",
        "accounts:password_reset_sent",
        lambda w, o: reverse("accounts:password_reset_sent"),
        PUBLIC,
    ),
    Case(
        "reset link that does not work",
        "accounts:password_reset_confirm",
        lambda w, o: reverse("accounts:password_reset_confirm", args=[encode_id(w.csa.pk), "bad-token"]),
        PUBLIC,
    ),
    Case(
        "password reset done page",
        "accounts:password_reset_done",
        lambda w, o: reverse("accounts:password_reset_done"),
        PUBLIC,
    ),
    # Your own account: every signed-in user, about themselves only.
    Case("your account", "accounts:account", lambda w, o: reverse("accounts:account"), everyone(200)),
    Case(
        "enter your password again",
        "accounts:confirm_password",
        lambda w, o: reverse("accounts:confirm_password"),
        everyone(200),
    ),
    Case(
        "enter your password again, wrongly",
        "accounts:confirm_password",
        lambda w, o: reverse("accounts:confirm_password"),
        everyone(200),
        method="post",
        data=lambda w, o: {"password": "not-the-password"},
    ),
    Case(
        "change your password",
        "accounts:password_change",
        lambda w, o: reverse("accounts:password_change"),
        everyone(200),
    ),
    Case(
        "change your password without the current one",
        "accounts:password_change",
        lambda w, o: reverse("accounts:password_change"),
        everyone(200),
        method="post",
        data=lambda w, o: {
            "old_password": "wrong",
            "new_password1": "a brand new passphrase",
            "new_password2": "a brand new passphrase",
        },
    ),
    Case(
        "change your email address",
        "accounts:email_change",
        lambda w, o: reverse("accounts:email_change"),
        everyone(200),
    ),
    Case(
        "change your email address with a wrong password",
        "accounts:email_change",
        lambda w, o: reverse("accounts:email_change"),
        everyone(200),
        method="post",
        data=lambda w, o: {"email": "new@example.gov.uk", "password": "wrong"},
    ),
    Case(
        "confirm an email change (a link that does not work)",
        "accounts:email_confirm",
        lambda w, o: reverse("accounts:email_confirm", args=["not-a-signed-token"]),
        everyone(200),
    ),
    Case(
        "confirm an email change, posted (a link that does not work)",
        "accounts:email_confirm",
        lambda w, o: reverse("accounts:email_confirm", args=["not-a-signed-token"]),
        everyone(200),
        method="post",
    ),
    Case("your sessions", "accounts:sessions", lambda w, o: reverse("accounts:sessions"), everyone(200)),
    Case(
        "sign out the CSA's other session",
        "accounts:session_end",
        lambda w, o: reverse("accounts:session_end", args=[o["row"].pk]),
        {"csa": 302},
        method="post",
        setup=_other_session_of_csa,
        then=_other_session_ended_only_for_csa,
    ),
    Case(
        "sign out of all other sessions",
        "accounts:session_end_others",
        lambda w, o: reverse("accounts:session_end_others"),
        everyone(302),
        method="post",
    ),
    Case("session time left", "accounts:session_status", lambda w, o: reverse("accounts:session_status"), PUBLIC),
    Case(
        "stay signed in",
        "accounts:session_keep_alive",
        lambda w, o: reverse("accounts:session_keep_alive"),
        everyone(302),
        method="post",
    ),
    # Two-factor sign-in: set-up links and managing the device (nobody has one here: set-up first).
    Case(
        "two-factor set-up link that does not work",
        "accounts:two_factor_link",
        lambda w, o: reverse("accounts:two_factor_link", args=[encode_id(w.csa.pk), "1-bad"]),
        PUBLIC,
    ),
    Case(
        "replace the authenticator app (none yet)",
        "accounts:two_factor_replace",
        lambda w, o: reverse("accounts:two_factor_replace"),
        everyone(302),
    ),
    Case(
        "turn off two-factor sign-in (none yet)",
        "accounts:two_factor_remove",
        lambda w, o: reverse("accounts:two_factor_remove"),
        everyone(302),
    ),
    # The invitee's link (a link that does not work; signed-in users are told to sign out first).
    Case(
        "invitation link that does not work",
        "accounts:invitation_accept",
        lambda w, o: reverse("accounts:invitation_accept", args=[encode_id(o["invitation"].pk), "1-bad"]),
        PUBLIC,
        setup=_pending_invitation,
    ),
    Case(
        "invitation set-up without the link",
        "accounts:invitation_set_up",
        lambda w, o: reverse("accounts:invitation_set_up", args=[encode_id(o["invitation"].pk)]),
        PUBLIC,
        setup=_pending_invitation,
    ),
    # Inviting.
    Case("invite someone", "accounts:invite", lambda w, o: reverse("accounts:invite"), INVITERS),
    Case(
        "invite an officer of Gateshead",
        "accounts:invite",
        lambda w, o: reverse("accounts:invite"),
        # csa_other and go_director_other are shown the form again: Gateshead is not among their choices.
        {**INVITERS, "csa": 302, "go_director": 302, "admin": 302},
        method="post",
        data=lambda w, o: {
            "full_name": "Gail Gates",
            "email": "gates.officer@example.gov.uk",
            "role": Role.LA_OFFICER,
            "authority": w.gateshead.pk,
        },
        then=_invited_only_by_inviters,
    ),
    Case("invitations", "accounts:invitations", lambda w, o: reverse("accounts:invitations"), INVITERS),
    Case(
        "invitations, accepted",
        "accounts:invitations",
        lambda w, o: reverse("accounts:invitations") + "?state=accepted",
        INVITERS,
    ),
    Case(
        "send an invitation again",
        "accounts:invitation_resend",
        lambda w, o: reverse("accounts:invitation_resend", args=[o["invitation"].pk]),
        _redirect(["csa", "go_director", "admin"]),
        method="post",
        setup=_pending_invitation,
        then=_resent_only_by(("csa", "go_director", "admin")),
    ),
    Case(
        "cancel an invitation (confirmation)",
        "accounts:invitation_cancel",
        lambda w, o: reverse("accounts:invitation_cancel", args=[o["invitation"].pk]),
        {"csa": 200, "go_director": 200, "admin": 200},
        setup=_pending_invitation,
    ),
    Case(
        "cancel an invitation",
        "accounts:invitation_cancel",
        lambda w, o: reverse("accounts:invitation_cancel", args=[o["invitation"].pk]),
        _redirect(["csa", "go_director", "admin"]),
        method="post",
        setup=_pending_invitation,
        then=_cancelled_only_by(("csa", "go_director", "admin")),
    ),
    Case(
        "invite from a CSV file",
        "accounts:invitation_import",
        lambda w, o: reverse("accounts:invitation_import"),
        PEOPLE,
    ),
    Case(
        "invite from a CSV file, nothing uploaded",
        "accounts:invitation_import",
        lambda w, o: reverse("accounts:invitation_import"),
        PEOPLE,
        method="post",
    ),
    # People.
    Case("people", "accounts:people", lambda w, o: reverse("accounts:people"), PEOPLE),
    Case(
        "people, filtered",
        "accounts:people",
        lambda w, o: reverse("accounts:people") + "?role=csa&active=yes&signed_in=never&organisation=North",
        PEOPLE,
    ),
    Case(
        "the North East CSA's page",
        "accounts:person_detail",
        lambda w, o: reverse("accounts:person_detail", args=[w.csa.pk]),
        {"admin": 200, "go_director": 200},
    ),
    Case(
        "change the Newcastle officer's role (form)",
        "accounts:person_change",
        lambda w, o: reverse("accounts:person_change", args=[w.la_officer.pk]),
        {"admin": 200, "go_director": 200},
    ),
    Case(
        "move the Newcastle officer to Gateshead",
        "accounts:person_change",
        lambda w, o: reverse("accounts:person_change", args=[w.la_officer.pk]),
        _redirect(NE_MANAGERS),
        method="post",
        data=lambda w, o: {"role": Role.LA_OFFICER, "authority": w.gateshead.pk},
        then=_officer_moved_only_by_managers,
    ),
    Case(
        "switch off the North East CSA (confirmation)",
        "accounts:person_deactivate",
        lambda w, o: reverse("accounts:person_deactivate", args=[w.csa.pk]),
        {"admin": 200, "go_director": 200},
    ),
    Case(
        "switch off the North East CSA",
        "accounts:person_deactivate",
        lambda w, o: reverse("accounts:person_deactivate", args=[w.csa.pk]),
        _redirect(NE_MANAGERS),
        method="post",
        then=_csa_switched_off_only_by_managers,
    ),
    Case(
        "switch on the Newcastle officer (confirmation)",
        "accounts:person_reactivate",
        lambda w, o: reverse("accounts:person_reactivate", args=[w.la_officer.pk]),
        {"admin": 200, "go_director": 200, "la_officer": 302},
        setup=_switched_off_officer,
    ),
    Case(
        "switch on the Newcastle officer",
        "accounts:person_reactivate",
        lambda w, o: reverse("accounts:person_reactivate", args=[w.la_officer.pk]),
        # The officer's own session is signed out: their account is switched off.
        {"admin": 302, "go_director": 302, "la_officer": 302},
        method="post",
        setup=_switched_off_officer,
        then=_officer_back_only_by_managers,
    ),
    Case(
        "send the Newcastle DCS a two-factor set-up link (confirmation)",
        "accounts:person_two_factor_link",
        lambda w, o: reverse("accounts:person_two_factor_link", args=[w.dcs.pk]),
        {"admin": 200, "go_director": 200},
    ),
    Case(
        "send the Newcastle DCS a two-factor set-up link",
        "accounts:person_two_factor_link",
        lambda w, o: reverse("accounts:person_two_factor_link", args=[w.dcs.pk]),
        _redirect(NE_MANAGERS),
        method="post",
        then=_link_sent_only_by_managers,
    ),
    # Providers with nobody on the portal ask for access; a CSA who invited them or an admin decides.
    Case(
        "ask for access (the emailed link)",
        "accounts:access_request_form",
        lambda w, o: o["link"],
        PUBLIC,
        setup=_invited_provider,
    ),
    Case(
        "ask for access with nothing filled in",
        "accounts:access_request_form",
        lambda w, o: o["link"],
        PUBLIC,
        method="post",
        setup=_invited_provider,
    ),
    Case(
        "ask for access with a link that does not work",
        "accounts:access_request_form",
        lambda w, o: reverse("accounts:access_request_form", args=["not-signed"]),
        everyone(404, anonymous=404),
    ),
    Case(
        "access request sent page",
        "accounts:access_request_sent",
        lambda w, o: reverse("accounts:access_request_sent"),
        PUBLIC,
    ),
    Case(
        "access requests",
        "accounts:access_requests",
        lambda w, o: reverse("accounts:access_requests"),
        {"admin": 200, "csa": 200, "csa_other": 200},
        setup=_invited_provider,
    ),
    Case(
        "an access request",
        "accounts:access_request_detail",
        lambda w, o: reverse("accounts:access_request_detail", args=[o["access"].pk]),
        {"admin": 200, "csa": 200},
        setup=_invited_provider,
    ),
    Case(
        "approve an access request",
        "accounts:access_request_detail",
        lambda w, o: reverse("accounts:access_request_detail", args=[o["access"].pk]),
        _redirect(["admin", "csa"]),
        method="post",
        data=lambda w, o: {"decision": "approve"},
        setup=_invited_provider,
        then=_approved_only_by_deciders,
    ),
]

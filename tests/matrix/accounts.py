from django.urls import reverse

from tests.matrix import Case, everyone


def _wrong_password(w, o):
    return {"username": "nobody@example.gov.uk", "password": "not-the-password"}


CASES = [
    Case("dashboard", "accounts:dashboard", lambda w, o: reverse("accounts:dashboard"), everyone(200)),
    Case(
        "django admin",
        "admin:index",
        lambda w, o: reverse("admin:index"),
        everyone(302, admin=200),
    ),
    # Sign-in: the form for anonymous users; anyone signed in is sent on to their dashboard.
    Case(
        "sign-in page",
        "accounts:login",
        lambda w, o: reverse("accounts:login"),
        everyone(302, anonymous=200),
    ),
    Case(
        "sign-in with a wrong password",
        "accounts:login",
        lambda w, o: reverse("accounts:login"),
        everyone(302, anonymous=200),
        method="post",
        data=_wrong_password,
    ),
    Case("sign out", "accounts:logout", lambda w, o: reverse("accounts:logout"), everyone(302), method="post"),
]

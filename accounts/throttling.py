"""How django-axes names the account a sign-in attempt was for: the email, lower-cased, so
"CSA@Example" and "csa@example" count against the same account."""


def attempted_email(request, credentials):
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return value.strip().lower()

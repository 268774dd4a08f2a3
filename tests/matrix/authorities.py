"""Authorities, National Indicators and regional forums: every page and POST for every role."""

from django.urls import reverse

from accounts.models import Role
from tests.accounts.factories import UserFactory
from tests.authorities.factories import RegionalForumFactory
from tests.matrix import Case, everyone

GO_OWN = ("csa", "go_director", "dcs", "la_officer", "provider", "national", "admin")
NOT_NE_FORUM = ("csa_other", "go_director_other", "dcs_other", "provider_other")


def _new_ne_csa(w):
    return {"csa": UserFactory(email="csa2.ne@example.gov.uk", full_name="Nat Newcomer", role=Role.CSA, region=w.ne)}


def _csa_changed_only_when_allowed(w, o, role, response):
    w.newcastle.refresh_from_db()
    if role in ("go_director", "admin"):
        assert w.newcastle.csa == o["csa"]
    else:
        assert w.newcastle.csa == w.csa


def _yh_forum(w):
    return {"forum": RegionalForumFactory(region=w.yh, name="Yorkshire and the Humber Forum")}


def _forum_data(w, o):
    return {
        "region": w.ne.pk,
        "name": "North East Youth Voice Forum",
        "chair": w.go_director.pk,
        "members": [w.csa.pk],
        "partners": [w.tfc.pk],
    }


def _forum_created_only_by_admin(w, o, role, response):
    from authorities.models import RegionalForum

    exists = RegionalForum.objects.filter(name="North East Youth Voice Forum").exists()
    assert exists == (role == "admin")


def _forum_renamed_only_by_admin(w, o, role, response):
    w.forum.refresh_from_db()
    assert (w.forum.name == "North East Youth Voice Forum") == (role == "admin")


def _forum_detail_content(w, o, role, response):
    if response.status_code == 200:
        html = response.content.decode()
        assert "Chris Adviser" in html
        assert "Together for Children" in html


CASES = [
    Case("authority list", "authorities:list", lambda w, o: reverse("authorities:list"), everyone(200)),
    Case(
        "authority detail (own region, Newcastle)",
        "authorities:detail",
        lambda w, o: w.newcastle.get_absolute_url(),
        everyone(200),
    ),
    Case(
        "authority detail (other region, Leeds)",
        "authorities:detail",
        lambda w, o: w.leeds.get_absolute_url(),
        everyone(200),
    ),
    Case(
        "authority detail (unknown GSS code)",
        "authorities:detail",
        lambda w, o: reverse("authorities:detail", args=["E99999999"]),
        everyone(404),
    ),
    Case(
        "reassign CSA form (Newcastle)",
        "authorities:reassign_csa",
        lambda w, o: reverse("authorities:reassign_csa", args=[w.newcastle.gss_code]),
        everyone(403, go_director=200, admin=200),
    ),
    Case(
        "reassign CSA form (Leeds)",
        "authorities:reassign_csa",
        lambda w, o: reverse("authorities:reassign_csa", args=[w.leeds.gss_code]),
        everyone(403, go_director_other=200, admin=200),
    ),
    Case(
        "reassign CSA (POST, Newcastle)",
        "authorities:reassign_csa",
        lambda w, o: reverse("authorities:reassign_csa", args=[w.newcastle.gss_code]),
        everyone(403, go_director=302, admin=302),
        method="post",
        setup=_new_ne_csa,
        data=lambda w, o: {"csa": o["csa"].pk},
        then=_csa_changed_only_when_allowed,
    ),
    Case(
        "indicator list",
        "authorities:indicator_list",
        lambda w, o: reverse("authorities:indicator_list"),
        everyone(200),
    ),
    Case("forum list", "authorities:forum_list", lambda w, o: reverse("authorities:forum_list"), everyone(200)),
    Case(
        "forum detail (North East forum)",
        "authorities:forum_detail",
        lambda w, o: w.forum.get_absolute_url(),
        {**{r: 200 for r in GO_OWN}, **{r: 404 for r in NOT_NE_FORUM}},
        then=_forum_detail_content,
    ),
    Case(
        "forum detail (Yorkshire and the Humber forum)",
        "authorities:forum_detail",
        lambda w, o: o["forum"].get_absolute_url(),
        everyone(404, csa_other=200, go_director_other=200, dcs_other=200, national=200, admin=200),
        setup=_yh_forum,
    ),
    Case(
        "forum create form",
        "authorities:forum_create",
        lambda w, o: reverse("authorities:forum_create"),
        everyone(403, admin=200),
    ),
    Case(
        "forum create (POST)",
        "authorities:forum_create",
        lambda w, o: reverse("authorities:forum_create"),
        everyone(403, admin=302),
        method="post",
        data=_forum_data,
        then=_forum_created_only_by_admin,
    ),
    Case(
        "forum edit form (North East forum)",
        "authorities:forum_edit",
        lambda w, o: reverse("authorities:forum_edit", args=[w.forum.pk]),
        {**{r: 403 for r in GO_OWN}, **{r: 404 for r in NOT_NE_FORUM}, "admin": 200},
    ),
    Case(
        "forum edit (POST, North East forum)",
        "authorities:forum_edit",
        lambda w, o: reverse("authorities:forum_edit", args=[w.forum.pk]),
        {**{r: 403 for r in GO_OWN}, **{r: 404 for r in NOT_NE_FORUM}, "admin": 302},
        method="post",
        data=_forum_data,
        then=_forum_renamed_only_by_admin,
    ),
    Case(
        "forum edit form (Yorkshire and the Humber forum)",
        "authorities:forum_edit",
        lambda w, o: reverse("authorities:forum_edit", args=[o["forum"].pk]),
        everyone(404, csa_other=403, go_director_other=403, dcs_other=403, national=403, admin=200),
        setup=_yh_forum,
    ),
]

"""The organisation-less roles of the permission matrix: a signed-in account whose role needs an
organisation it does not have (``tests.orgless``), one per kind of organisation.

Such an account is never better off than a stranger: by default it gets, on every case, what the
same role in another organisation gets (``LIKE``). Where it gets less — a 403 where the stranger
has an empty page, since acting in a role needs the role's organisation
(``accounts.models.in_scope``) — the case is listed in ``STRICTER`` with its status."""

#: matrix role → the stranger of the same role it is compared with.
LIKE = {
    "csa_orgless": "csa_other",  # a CSA without a region
    "dcs_orgless": "dcs_other",  # a DCS without an authority
    "provider_orgless": "provider_other",  # a provider adviser without a provider
}
ROLES = list(LIKE)

#: case name → {orgless role: status} where the organisation-less account is refused outright (an
#: empty scope: 404 for what the stranger of its role may open in its own region or authority; 403
#: for what its role may do only with an organisation). Never a status better than the stranger's.
STRICTER: dict[str, dict[str, int]] = {
    "access requests": {"csa_orgless": 404},
    "analysis index": {"csa_orgless": 404},
    "answer an invitation POST": {"dcs_orgless": 404},
    "answer an invitation": {"dcs_orgless": 404},
    "broker a support package (after a peer challenge)": {"dcs_orgless": 404},
    "broker a support package (after an inspection)": {"csa_orgless": 404, "dcs_orgless": 404},
    "broker a support package POST": {"dcs_orgless": 404},
    "cancel the peer challenge POST": {"dcs_orgless": 404},
    "cancel the peer challenge": {"dcs_orgless": 404},
    "compliance": {"csa_orgless": 403, "provider_orgless": 403},
    "compliance csv": {"csa_orgless": 403, "provider_orgless": 403},
    "drafting: download deployment plan, approved plan, another provider's": {"provider_orgless": 404},
    "drafting: start a plan": {"csa_orgless": 403},
    "drafting: start a plan page": {"csa_orgless": 403},
    "feedback form (TfC, serving both regions)": {"dcs_orgless": 403},
    "feedback give POST": {"dcs_orgless": 403},
    "feedback give": {"dcs_orgless": 403},
    "feedback results": {"csa_orgless": 403},
    "forum agenda builder, other region's forum": {"csa_orgless": 404},
    "forum detail (Yorkshire and the Humber forum)": {"csa_orgless": 404, "dcs_orgless": 404},
    "forum edit form (Yorkshire and the Humber forum)": {"csa_orgless": 404, "dcs_orgless": 404},
    "imports: upload": {"csa_orgless": 403},
    "imports: upload page": {"csa_orgless": 403},
    "inspection": {"csa_orgless": 404, "dcs_orgless": 404},
    "invitations": {"csa_orgless": 404},
    "invitations, accepted": {"csa_orgless": 404},
    "invite an officer of Gateshead": {"csa_orgless": 404},
    "invite someone": {"csa_orgless": 404},
    "invite to the team": {"dcs_orgless": 404},
    "issue the letter POST": {"dcs_orgless": 404},
    "issue the letter": {"dcs_orgless": 404},
    "peer challenge (Leeds' DCS invited)": {"dcs_orgless": 404},
    "peer challenge (letter issued)": {"dcs_orgless": 404},
    "peer challenge (planned)": {"dcs_orgless": 404},
    "regional analysis XLSX export, Yorkshire and the Humber": {"csa_orgless": 404},
    "regional analysis, other region (Yorkshire and the Humber)": {"csa_orgless": 404},
    "respond to the findings POST": {"dcs_orgless": 404},
    "respond to the findings": {"dcs_orgless": 404},
    "self-evaluation of a shared self-assessment": {"dcs_orgless": 404},
    "send the findings POST": {"dcs_orgless": 404},
    "send the findings": {"dcs_orgless": 404},
    "shared self-assessment (Leeds' DCS on the team)": {"dcs_orgless": 404},
    "start a self-assessment POST": {"dcs_orgless": 403},
    "start a self-assessment": {"dcs_orgless": 403},
    "take someone off the team POST": {"dcs_orgless": 404},
    "take someone off the team": {"dcs_orgless": 404},
    "the letter's PDF": {"dcs_orgless": 404},
    "write a finding (only invited)": {"dcs_orgless": 404},
    "write a finding POST": {"dcs_orgless": 404},
    "write a finding": {"dcs_orgless": 404},
}


def status_for(case, role):
    if role in case.expect:
        return case.expect[role]
    stricter = STRICTER.get(case.name, {})
    if role in stricter:
        return stricter[role]
    return case.status_for(LIKE[role])

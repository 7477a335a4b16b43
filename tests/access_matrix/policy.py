"""What each role must get from each route, stated per route group (docs/adr/0002): a record outside
what a role may see is 404, a record it may see but not change is 403, a visitor who is not logged in
is sent to the login page (pages) or gets 401 (API). The world's records belong to 九龙坡区, so
"own" is t_district, t_district_admin and t_specialist (the project's specialist), "other" is 长寿区's
t_district2, t_district_admin2 and t_specialist2, and 两江新区's t_liangjiang.

Three promises hold on every route, whatever its group:
- no role ever gets a 500;
- a refused call (login redirect, 401, 403, 404, 405) changes nothing;
- the leader changes nothing, whatever the answer (except their own session, password and inbox);
- a GET changes nothing (except opening one's own notification).

A route no group claims is held only to those, and is listed at the end of the run so its policy can
be written down here."""

from dataclasses import dataclass, field

LOGIN = "login"  # 302 to the login page, or 401 from the API

OK = frozenset({200})
# A write the role may make: done (200/201/302), or refused on its content — the matrix sends an empty
# or minimal body, so a form error (200 re-rendered, 400, 409 stale version, 422) is the usual answer.
FORM = frozenset({200, 201, 204, 302, 400, 409, 422})
DENY = frozenset({403})
HIDE = frozenset({404})
NOPE = frozenset({405})
ANY = frozenset({200, 201, 204, 302, 400, 403, 404, 405, 409, 422})  # "answered, and not with a 500"

OFFICE = ("office_admin", "office")
OWN = ("district", "district_admin")
OTHER = ("district2", "liangjiang", "district_admin2", "specialist2")
ROLES = OFFICE + ("leader",) + OWN + ("specialist",) + OTHER

# Reached without logging in, and why.
PUBLIC = {
    "accounts:login": "the login page",
    "accounts:logout": "logging out needs no session",
    "servicedesk:contact_home": "the enterprise contact's link: the token is the credential",
    "servicedesk:contact_detail": "the enterprise contact's link",
    "servicedesk:contact_attachment": "the enterprise contact's link",
    "events:public": "a published event or project page, by its token",
    "events:public_photo": "a photo on a published event page that shows its photos",
    "set_language": "the language switch",
    "api:openapi-json": "the API's document",
    "api:openapi-view": "the API's documentation page",
    "api:api-root": "django-ninja's root: a 404 for everybody",
    "admin:login": "the admin's own login page",
    "admin:logout": "the admin's logout",
    "POST api /auth/token": "obtaining an API token",
}

# Pages and answers that may show another unit's record names to 长寿区 and 两江新区, and why.
_TOKEN = "a token link is its own credential: whoever holds it sees what it was issued for"
MAY_NAME_OTHER_UNITS = {
    "GET servicedesk:contact_home": _TOKEN,
    "POST servicedesk:contact_home": _TOKEN,
    "GET servicedesk:contact_detail": _TOKEN,
    "POST servicedesk:contact_detail": _TOKEN,
    "GET events:public": "a published page is public by intent, showing only its ticked fields",
}

# Exports: reading them writes an audit entry (who exported what, issue 10 item 3) and nothing else.
AUDITED_READS = {
    "imports:report", "imports:organisation_export", "cockpit:briefing_docx", "cockpit:briefing_xlsx",
    "chains:export", "thinktanks:export", "events:signings_xlsx", "events:ceremony_docx",
}

# Opening an enterprise contact's link stamps the link's last use (at most once an hour): one row, and nothing else.
STAMPS_LAST_USE = {"servicedesk:contact_home", "servicedesk:contact_detail", "servicedesk:contact_attachment"}

# Routes where the leader (and anyone) may change their own state.
OWN_STATE = {
    "accounts:login", "accounts:logout", "accounts:password_change", "set_language", "POST api /auth/token",
    "notifications:read_all", "notifications:read", "notifications:open",
    "POST api /notifications/read-all", "POST api /notifications/{notification_id}/read",
}


# Another unit's administrator and specialist: where a route's answer does not depend on whose record it is (no
# other= given), they get what their kind gets (a specialist may not register a project, wherever they work).
LIKE = {"district_admin2": "district_admin", "specialist2": "specialist"}


def roles(default=ANY, **by_role) -> dict:
    """{role: expected} from keyword groups: office=, own=, other= stand for their roles."""
    out = {role: default for role in ROLES}
    for key, expect in by_role.items():
        group = {"office": OFFICE, "own": OWN, "other": OTHER}.get(key, (key,))
        for role in group:
            out[role] = expect
    for role, kind in LIKE.items():
        if role not in by_role and "other" not in by_role and kind in by_role:
            out[role] = by_role[kind]
    return out


# The world's arbitration was asked for by 长寿区: anyone of that unit may take it back.
REQUESTING_UNIT = {"district2": FORM, "district_admin2": FORM, "specialist2": FORM}


# ---- the groups --------------------------------------------------------------------------------------
def everyone(expect=OK):
    return roles(expect)


def unit_read():
    """A 九龙坡区 record: the office, the leader, 九龙坡区 and its specialist see it; other units get 404."""
    return roles(OK, other=HIDE)


def unit_write(specialist=FORM):
    """Changing a 九龙坡区 record: the leader may look but not change (403), other units do not see it."""
    return roles(FORM, leader=DENY, specialist=specialist, other=HIDE)


def unit_form(specialist=OK):
    """The GET of a 九龙坡区 record's edit form."""
    return roles(OK, leader=DENY, specialist=specialist, other=HIDE)


def library(expect=FORM):
    """Organisations, people and their relations are a shared library: every working role writes."""
    return roles(expect, leader=DENY)


def create(expect=FORM):
    """Registering a project, talent, event or cooperation: office and district staff, not the leader,
    not a specialist."""
    return roles(expect, leader=DENY, specialist=DENY)


def office_only(expect=FORM):
    return roles(DENY, office=expect)


def office_admin_only(expect=FORM):
    return roles(DENY, office_admin=expect)


def office_sees(expect=OK):
    """Need profiles are the office's: the leader reads them, districts do not see them."""
    return roles(HIDE, office=expect, leader=OK if expect is OK else DENY)


def unit_owner(expect=FORM):
    """A district's parks, sites, policies and resources: only that district changes them, not even the
    office (which reads them to match needs)."""
    return roles(DENY, own=expect)


def target_unit(expect=FORM):
    """Answering a recommendation made to 九龙坡区: its district staff; the office and the leader may
    look, other units do not see it."""
    return roles(DENY, own=expect, other=HIDE)


def office_decides(expect=FORM):
    """Deciding on a 九龙坡区 record (a flag, a recommendation's withdrawal): the office; 九龙坡区 and the
    leader see it (403), other units do not (404)."""
    return roles(DENY, office=expect, other=HIDE)


# route → (GET, POST) for pages; "METHOD api /path" → expectation for the API.
POST_ONLY = everyone(NOPE)  # the GET of a route that only takes POST

PAGES = {
    "core:home": (everyone(), everyone()),
    "accounts:login": (roles(frozenset({302})), roles(frozenset({302}))),
    "accounts:logout": (everyone(NOPE), everyone(frozenset({LOGIN}))),
    "accounts:password_change": (everyone(), everyone(FORM)),
    "accounts:password_change_done": (everyone(), everyone(NOPE)),
    "units:list": (everyone(), everyone()),
    "organisations:list": (everyone(), everyone()),
    "organisations:create": (library(OK), library()),
    "organisations:suggest": (everyone(), everyone()),
    "organisations:match": (everyone(), everyone()),
    "organisations:merges": (roles(OK, own=DENY, specialist=DENY, other=DENY), everyone(NOPE)),
    "organisations:merge_undo": (POST_ONLY, office_admin_only()),
    "organisations:detail": (everyone(), everyone()),
    "organisations:edit": (library(OK), library()),
    "organisations:merge": (office_admin_only(OK), office_admin_only()),
    "organisations:person_list": (everyone(), everyone()),
    "organisations:person_create": (library(OK), library()),
    "projects:list": (everyone(), everyone(NOPE)),
    "projects:board": (everyone(), everyone(NOPE)),
    "projects:create": (create(OK), create()),
    "projects:organisation_options": (everyone(), everyone(NOPE)),
    "projects:project_options": (everyone(), everyone(NOPE)),
    "projects:unit_options": (everyone(), everyone(NOPE)),
    "projects:arbitrations": (everyone(), everyone(NOPE)),
    # Without ?organisation= there is nothing to ask about (404); roles that may never ask get 403.
    "projects:arbitration_create": (create(HIDE), create(HIDE)),
    # 长寿区 (district2) asked about an organisation 九龙坡区 holds: the office decides, the requester may
    # withdraw (the office answers it by deciding, never by withdrawing it); both parties and the leader
    # see it, 两江新区 does not.
    "projects:arbitration_decide": (POST_ONLY, roles(DENY, office=FORM, liangjiang=HIDE)),
    "projects:arbitration_withdraw": (POST_ONLY, roles(DENY, liangjiang=HIDE, **REQUESTING_UNIT)),
    "projects:detail": (unit_read(), everyone(NOPE)),
    "projects:evidence": (unit_read(), everyone(NOPE)),
    "projects:edit": (unit_form(), unit_write()),
    "projects:stage": (unit_form(), unit_write()),
    "projects:handover": (unit_form(), unit_write()),
    "activities:list": (everyone(), everyone(NOPE)),
    "activities:create": (library(OK), library()),
    "activities:done": (POST_ONLY, unit_write()),
    # An import job is its uploader's (t_district) and the office admin's; the leader imports nothing.
    "imports:list": (library(OK), library(OK)),
    "imports:detail": (roles(HIDE, office_admin=OK, district=OK, leader=DENY),) * 2,
    "imports:progress": (roles(HIDE, office_admin=OK, district=OK, leader=DENY),) * 2,
    "imports:cancel": (POST_ONLY, roles(HIDE, office_admin=FORM, district=FORM, leader=DENY)),
    # Resuming a stopped import: whoever may cancel it (the sample job is running, so a refusal with a message).
    "imports:resume": (POST_ONLY, roles(HIDE, office_admin=FORM, district=FORM, leader=DENY)),
    "imports:report": (roles(HIDE, office_admin=OK, district=OK, leader=DENY),) * 2,
    "imports:template": (library(OK), library(OK)),
    "imports:organisation_export": (everyone(), everyone()),
    # The notification is t_district's: nobody else sees it.
    "notifications:inbox": (everyone(), everyone(NOPE)),
    "notifications:read_all": (POST_ONLY, everyone(FORM)),
    "notifications:read": (POST_ONLY, roles(HIDE, district=FORM)),
    "notifications:open": (roles(HIDE, district=frozenset({302})), everyone(NOPE)),
    # Robots of 九龙坡区: the office admin and 九龙坡区's admin manage them; the leader may look.
    "notifications:webhooks": (roles(DENY, office_admin=OK, district_admin=OK, leader=OK), everyone(NOPE)),
    "notifications:webhook_create": (roles(DENY, office_admin=OK, district_admin=OK),
                                     roles(DENY, office_admin=FORM, district_admin=FORM)),
    "notifications:webhook_edit": (roles(DENY, office_admin=OK, district_admin=OK, district_admin2=HIDE),
                                   roles(DENY, office_admin=FORM, district_admin=FORM, district_admin2=HIDE)),
    "notifications:webhook_test": (POST_ONLY, roles(DENY, office_admin=FORM, district_admin=FORM, district_admin2=HIDE)),
    "notifications:delivery_retry": (POST_ONLY, roles(DENY, office_admin=FORM, district_admin=FORM,
                                                      district_admin2=HIDE)),
    "recommendations:list": (everyone(), everyone(NOPE)),
    "recommendations:create": (office_only(OK), office_only()),
    "recommendations:funnel": (everyone(), everyone(NOPE)),
    "recommendations:detail": (unit_read(), everyone(NOPE)),
    "recommendations:withdraw": (POST_ONLY, office_decides()),
    "recommendations:accept": (POST_ONLY, target_unit()),
    "recommendations:decline": (POST_ONLY, target_unit()),
    "recommendations:site_visit": (POST_ONLY, target_unit()),
    "servicedesk:list": (everyone(), everyone(NOPE)),
    # Without ?project= the form sends the user to pick a project first.
    "servicedesk:create": (roles(frozenset({302}), leader=DENY),) * 2,
    "servicedesk:deadlines": (everyone(), office_admin_only()),
    "servicedesk:detail": (unit_read(), everyone(NOPE)),
    "servicedesk:reply": (POST_ONLY, unit_write()),
    "servicedesk:status": (POST_ONLY, unit_write()),
    "servicedesk:assign": (POST_ONLY, unit_write()),
    "servicedesk:attachment": (unit_read(), everyone(NOPE)),
    "servicedesk:project": (unit_read(), everyone(NOPE)),
    "servicedesk:link_create": (POST_ONLY, unit_write()),
    "servicedesk:link_revoke": (POST_ONLY, unit_write()),
    "servicedesk:contact_home": (everyone(), everyone()),
    "servicedesk:contact_detail": (everyone(), everyone(FORM)),
    "servicedesk:contact_attachment": (everyone(), everyone(NOPE)),
    "fulfilment:index": (everyone(), everyone(NOPE)),
    "fulfilment:funds": (everyone(), everyone(NOPE)),
    "fulfilment:project": (unit_read(), everyone(NOPE)),
    "fulfilment:funds_add": (POST_ONLY, unit_write()),
    "fulfilment:funds_delete": (POST_ONLY, unit_write()),
    "fulfilment:plan": (unit_form(), unit_write()),
    "cockpit:index": (everyone(), everyone(NOPE)),
    "cockpit:briefing_docx": (everyone(), everyone(NOPE)),
    "cockpit:briefing_xlsx": (everyone(), everyone(NOPE)),
    # Articles are a shared library like organisations.
    "intelligence:list": (everyone(), everyone(NOPE)),
    "intelligence:create": (library(OK), library()),
    "intelligence:detail": (everyone(), everyone(NOPE)),
    "intelligence:panel": (everyone(), everyone(NOPE)),
    "intelligence:act": (POST_ONLY, library()),
    # An empty form is refused with a message (302); the leader, who may not record relations, gets 403.
    "intelligence:relation": (POST_ONLY, library(frozenset({302}))),
    "chains:index": (everyone(), everyone(NOPE)),
    "chains:map": (everyone(), everyone(NOPE)),
    "chains:gaps": (everyone(), everyone(NOPE)),
    "chains:versions": (everyone(), everyone(NOPE)),
    "chains:version": (everyone(), everyone(NOPE)),
    "chains:export": (everyone(), everyone(NOPE)),
    "chains:link": (everyone(), everyone(NOPE)),
    "chains:organisation": (everyone(), everyone(NOPE)),
    "chains:project": (unit_read(), everyone(NOPE)),
    # The chain maps themselves are edited by the office admin only.
    "chains:link_add": (POST_ONLY, office_admin_only()),
    "chains:version_restore": (POST_ONLY, office_admin_only()),
    "chains:link_move": (POST_ONLY, office_admin_only()),
    "chains:link_delete": (POST_ONLY, office_admin_only()),
    "chains:placements_move": (POST_ONLY, office_admin_only()),
    "chains:import": (office_admin_only(OK), office_admin_only()),
    "chains:link_edit": (office_admin_only(OK), office_admin_only()),
    # Placing an organisation on a chain is library work. An empty form is refused with a message (302);
    # the leader is refused (403) before the form is read.
    "chains:place": (POST_ONLY, library(frozenset({302}))),
    "chains:placement_delete": (POST_ONLY, library()),
    "chains:placement_leader": (POST_ONLY, library()),
    "relations:organisation": (everyone(), everyone(NOPE)),
    "relations:relation_add": (POST_ONLY, library()),
    "relations:relation_remove": (POST_ONLY, library()),
    "relations:tie_add": (POST_ONLY, library()),
    "relations:tie_remove": (POST_ONLY, library()),
    "relations:landed": (everyone(), everyone(NOPE)),
    # The world's organisation is not a landed firm: 404 for everybody.
    "relations:proposal_accept": (POST_ONLY, everyone(HIDE)),
    "relations:referrals": (everyone(), everyone(NOPE)),
    "relations:import": (library(OK), library()),
    "relations:import_template": (everyone(), everyone(NOPE)),
    "talent:list": (everyone(), everyone(NOPE)),
    "talent:create": (create(OK), create()),
    "talent:detail": (unit_read(), everyone(NOPE)),
    # t_specialist is the project's specialist, not the talent's: the talent is not theirs to change.
    "talent:edit": (unit_form(specialist=DENY), unit_write(specialist=DENY)),
    "talent:stage": (unit_form(specialist=DENY), unit_write(specialist=DENY)),
    "talent:specialist": (unit_form(specialist=DENY), unit_write(specialist=DENY)),
    "talent:archive": (POST_ONLY, unit_write(specialist=DENY)),
    "talent:attend": (POST_ONLY, unit_write(specialist=DENY)),
    # Cooperations are visible to every unit (403, not 404, for the units that may not change them).
    "thinktanks:list": (everyone(), everyone(NOPE)),
    "thinktanks:export": (everyone(), everyone(NOPE)),
    "thinktanks:create": (create(OK), create()),
    # Options from the shared library (think tanks, universities, institutes): like organisations:suggest.
    "thinktanks:partner_options": (everyone(), everyone(NOPE)),
    "thinktanks:detail": (everyone(), everyone(NOPE)),
    "thinktanks:edit": (roles(DENY, office=OK, own=OK), roles(DENY, office=FORM, own=FORM)),
    "thinktanks:activity_add": (roles(DENY, office=OK, own=OK), roles(DENY, office=FORM, own=FORM)),
    "thinktanks:activity_remove": (POST_ONLY, roles(DENY, office=FORM, own=FORM)),
    "thinktanks:outcome_add": (roles(DENY, office=OK, own=OK), roles(DENY, office=FORM, own=FORM)),
    "thinktanks:outcome_project_options": (roles(DENY, office=OK, own=OK), everyone(NOPE)),
    "thinktanks:outcome_remove": (POST_ONLY, roles(DENY, office=FORM, own=FORM)),
    "offers:index": (everyone(), everyone(NOPE)),
    "offers:needs": (everyone(), everyone(NOPE)),
    "offers:need_create": (office_only(OK), office_only()),
    "offers:need_match": (office_sees(), everyone(NOPE)),
    "offers:need_edit": (office_sees(OK) | {"leader": DENY}, office_sees(FORM)),
    "offers:need_send": (POST_ONLY, office_sees(FORM)),
    "offers:district": (everyone(), everyone(NOPE)),
    "offers:create": (unit_owner(OK), unit_owner()),
    "offers:edit": (unit_owner(OK), unit_owner()),
    "offers:retire": (POST_ONLY, unit_owner()),
    "fairness:queue": (everyone(), everyone(NOPE)),
    "fairness:check": (everyone(), everyone()),  # checks a text, stores nothing
    "fairness:flag": (unit_read(), office_decides()),
    "events:list": (everyone(), everyone(NOPE)),
    "events:create": (create(OK), create()),
    # Events are the office's and visible to every unit.
    "events:detail": (everyone(), everyone(NOPE)),
    "events:edit": (office_only(OK), office_only()),
    "events:project_options": (everyone(), everyone(NOPE)),
    # An empty form is refused (400); the leader, who registers no signings, is refused (403) before it.
    "events:signing_create": (POST_ONLY, roles(frozenset({400}), leader=DENY)),
    "events:signing_move": (POST_ONLY, office_only()),
    "events:participant_add": (POST_ONLY, office_only()),
    "events:participant_remove": (POST_ONLY, office_only()),
    "events:photo_add": (POST_ONLY, office_only()),
    "events:photo_remove": (POST_ONLY, office_only()),
    "events:tally": (everyone(), everyone(NOPE)),
    "events:tally_live": (everyone(), everyone(NOPE)),
    "events:signings_xlsx": (everyone(), everyone(NOPE)),
    "events:ceremony_docx": (office_only(OK), everyone(NOPE)),
    "events:publish": (POST_ONLY, office_only()),
    "events:poster": (everyone(), everyone(NOPE)),
    "events:poster_png": (everyone(), everyone(NOPE)),
    "events:signing_edit": (unit_form(), unit_write()),
    "events:signing_withdraw": (POST_ONLY, unit_write()),
    "events:project_public": (unit_read(), everyone(NOPE)),
    "events:project_signing_create": (POST_ONLY, unit_write()),
    "events:project_publish": (POST_ONLY, unit_write()),
    "events:project_poster": (unit_read(), everyone(NOPE)),
    "events:project_poster_png": (unit_read(), everyone(NOPE)),
    # The leader may take a public page down (services.public_page_withdraw: the publisher, the office
    # admin or the leader); the empty form lacks the reason, so they are sent back with a message.
    "events:public_page_withdraw": (POST_ONLY, office_only() | {"leader": frozenset({302})}),
    "events:public": (everyone(), everyone(NOPE)),
    "events:public_photo": (everyone(), everyone(NOPE)),
    "events:photo": (everyone(), everyone(NOPE)),
    "set_language": (everyone(frozenset({302})), everyone(frozenset({302}))),
    "api:openapi-json": (everyone(), everyone()),
    "api:openapi-view": (everyone(), everyone()),
    "api:api-root": (everyone(HIDE), everyone(HIDE)),
}

API = {
    "POST api /auth/token": everyone(frozenset({400})),  # wrong credentials, for everybody
    "GET api /units": everyone(),
    "GET api /units/{unit_id}": everyone(),
    "GET api /organisations/persons": everyone(),
    "POST api /organisations/persons": library(),
    "GET api /organisations": everyone(),
    "POST api /organisations": library(),
    "GET api /organisations/match": everyone(frozenset({422})),  # the name to match is required
    "GET api /organisations/{organisation_id}": everyone(),
    "PATCH api /organisations/{organisation_id}": library(),
    "GET api /organisations/merges": roles(OK, own=DENY, specialist=DENY, other=DENY),
    "POST api /organisations/merges/{merge_id}/undo": office_admin_only(),
    "POST api /organisations/{organisation_id}/merge": office_admin_only(),
    "GET api /projects/stages": everyone(),
    "GET api /projects/arbitrations": everyone(),
    "POST api /projects/arbitrations": create(),
    "POST api /projects/arbitrations/{arbitration_id}/decide": roles(DENY, office=FORM, liangjiang=HIDE),
    "POST api /projects/arbitrations/{arbitration_id}/withdraw": roles(DENY, liangjiang=HIDE, **REQUESTING_UNIT),
    "GET api /projects": everyone(),
    "POST api /projects": create(),
    "GET api /projects/{project_id}": unit_read(),
    "PATCH api /projects/{project_id}": unit_write(),
    "POST api /projects/{project_id}/stage": unit_write(),
    "GET api /projects/{project_id}/history": unit_read(),
    "GET api /activities": everyone(),
    # The minimal body names neither a project nor an organisation: the service's 400; the leader 403.
    "POST api /activities": library(),
    "POST api /activities/{activity_id}/done": unit_write(),
    "GET api /notifications": everyone(),
    "GET api /notifications/unread-count": everyone(),
    "POST api /notifications/read-all": everyone(FORM),
    "POST api /notifications/{notification_id}/read": roles(HIDE, district=FORM),
    "GET api /recommendations": everyone(),
    "POST api /recommendations": office_only(),
    "GET api /recommendations/funnel": everyone(),
    "GET api /recommendations/{recommendation_id}": unit_read(),
    "POST api /recommendations/{recommendation_id}/withdraw": office_decides(),
    "POST api /recommendations/targets/{target_id}/accept": target_unit(),
    "POST api /recommendations/targets/{target_id}/decline": target_unit(),
    "POST api /recommendations/targets/{target_id}/site-visit": target_unit(),
    "GET api /service-requests": everyone(),
    "POST api /service-requests": roles(FORM, leader=DENY),
    "GET api /service-requests/{request_id}": unit_read(),
    # multipart: the empty form lacks the reply's body, 422 before any role is asked.
    "POST api /service-requests/{request_id}/replies": everyone(frozenset({422})),
    "POST api /service-requests/{request_id}/status": unit_write(),
    "POST api /service-requests/{request_id}/assign": unit_write(),
    "GET api /service-requests/{request_id}/replies/{reply_id}/attachment": unit_read(),
    "GET api /fulfilment/alerts": everyone(),
    "GET api /fulfilment/projects/{project_id}": unit_read(),
    "POST api /fulfilment/projects/{project_id}/funds": unit_write(),
    "PUT api /fulfilment/projects/{project_id}/plan": unit_write(),
    "GET api /talent": everyone(),
    "POST api /talent": create(),
    "GET api /talent/{talent_id}": unit_read(),
    "PATCH api /talent/{talent_id}": unit_write(specialist=DENY),
    "POST api /talent/{talent_id}/stage": unit_write(specialist=DENY),
    "POST api /talent/{talent_id}/archive": unit_write(specialist=DENY),
    "GET api /talent/{talent_id}/history": unit_read(),
    "GET api /events": everyone(),
    "POST api /events": create(),
    "GET api /events/{event_id}": everyone(),
    "PATCH api /events/{event_id}": office_only(),
    "GET api /events/{event_id}/signings": everyone(),
    "POST api /events/{event_id}/signings": unit_write(),  # of the 九龙坡区 project
    "POST api /events/{event_id}/signings/order": office_only(),
    "GET api /events/{event_id}/tally": everyone(),
    "POST api /signings": unit_write(),
    "PATCH api /signings/{signing_id}": unit_write(),
    "POST api /signings/{signing_id}/withdraw": unit_write(),
    "GET api /stats/summary": everyone(),
    "GET api /offers/needs": everyone(),
    "POST api /offers/needs": office_only(),
    "GET api /offers/needs/{need_id}": office_sees(),
    "GET api /offers/needs/{need_id}/matches": office_sees(),
    "POST api /offers/needs/{need_id}/send": office_sees(FORM),
    "GET api /thinktanks": everyone(),
    "POST api /thinktanks": create(),
    "GET api /thinktanks/{cooperation_id}": everyone(),
    "PATCH api /thinktanks/{cooperation_id}": roles(DENY, office=FORM, own=FORM),
    "POST api /thinktanks/{cooperation_id}/activities": roles(DENY, office=FORM, own=FORM),
    "POST api /thinktanks/{cooperation_id}/outcomes": roles(DENY, office=FORM, own=FORM),
    "POST api /fairness/check": everyone(),  # checks a text, stores nothing
    "GET api /fairness/flags": everyone(),
    "GET api /fairness/flags/{flag_id}": unit_read(),
    "POST api /fairness/flags/{flag_id}/review": office_decides(),
}
for _kind in ("parks", "sites", "policies", "resources"):
    API[f"GET api /offers/{_kind}"] = everyone()
    API[f"POST api /offers/{_kind}"] = unit_owner()  # for 九龙坡区 (samples.BODY)
    API[f"GET api /offers/{_kind}/{{offer_id}}"] = everyone()
    API[f"PATCH api /offers/{_kind}/{{offer_id}}"] = unit_owner()
    API[f"POST api /offers/{_kind}/{{offer_id}}/withdraw"] = unit_owner()


# The API's document is the same bytes for everybody and costs a second to build: the anonymous
# visitor and one role stand for all.
ONE_ROLE_STANDS_FOR_ALL = {"api:openapi-json", "api:openapi-view"}


@dataclass
class Rule:
    key: str
    by_role: dict = field(default_factory=dict)
    anon: object = frozenset({LOGIN})
    unstated: bool = False
    roles: tuple = ("anon", *ROLES)

    def expect(self, role: str):
        if role == "anon":
            return self.anon
        return self.by_role.get(role, ANY)

    def must_not_change(self, role, outcome, method) -> bool:
        if outcome.to_login or outcome.status in (401, 403, 404, 405):
            return self.key != "accounts:logout"  # logging out ends the session and lands on the login page
        if self.key in OWN_STATE:
            return False
        return role == "leader" or method == "GET"


def matches(expect, outcome) -> bool:
    if outcome.to_login:
        return LOGIN in expect
    return outcome.status in expect


def describe(expect) -> str:
    return "/".join(sorted(map(str, expect)))


def rule_for(route, method: str) -> Rule:
    if route.kind == "admin":
        # Nobody of ours is staff: every admin page sends every role to the admin login.
        if route.name in PUBLIC:
            return Rule(route.name, everyone(frozenset({200, 302})), anon=frozenset({200, 302}))
        return Rule(route.name, everyone(frozenset({LOGIN})))
    if route.kind == "api":
        key = route.id
        by_role = API.get(key)
    else:
        key = route.name
        pair = PAGES.get(key)
        by_role = None if pair is None else pair[0 if method == "GET" else 1]
    anon = frozenset({LOGIN})
    if key in PUBLIC:
        # Public: the anonymous visitor gets what a logged-in role gets.
        expected = by_role or {}
        anon = frozenset().union(*expected.values()) if expected else ANY
        if key == "accounts:login":
            anon = frozenset({200})
    rule = Rule(key, by_role or {}, anon=anon, unstated=by_role is None)
    if key in ONE_ROLE_STANDS_FOR_ALL:
        rule.roles = ("anon", "district2")
    return rule

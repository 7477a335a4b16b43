"""Which record of the world each path parameter names. Looked up most specific first: the route's own
entry, then the parameter within the route's namespace, then the parameter anywhere. A parameter found
nowhere makes the matrix fail with "add a sample for <route>"."""

# route name (or "api <path>") → {param: world key or callable(world)}
BY_ROUTE = {
    "organisations:merge_undo": {"pk": "merge"},
    "projects:arbitration_decide": {"pk": "arbitration"},
    "projects:arbitration_withdraw": {"pk": "arbitration"},
    "notifications:webhook_edit": {"pk": "webhook"},
    "notifications:webhook_test": {"pk": "webhook"},
    "notifications:delivery_retry": {"pk": "delivery"},
    "recommendations:accept": {"pk": "target"},
    "recommendations:decline": {"pk": "target"},
    "recommendations:site_visit": {"pk": "target"},
    "servicedesk:link_revoke": {"pk": "contact_link"},
    "offers:edit": {"pk": "park"},
    "offers:retire": {"pk": "park"},
    "offers:need_match": {"pk": "need"},
    "offers:need_edit": {"pk": "need"},
    "offers:need_send": {"pk": "need"},
    "events:signing_edit": {"pk": "signing"},
    "events:signing_withdraw": {"pk": "signing"},
}

# namespace → {param: world key}
BY_NAMESPACE = {
    "organisations": {"pk": "organisation"},
    "projects": {"pk": "project", "change_pk": "stage_change"},
    "activities": {"pk": "activity"},
    "imports": {"pk": "import_job"},
    "notifications": {"pk": "notification"},
    "recommendations": {"pk": "recommendation"},
    "servicedesk": {"pk": "service_request", "reply_pk": "reply", "project_pk": "project",
                    "token": "contact_token"},
    "fulfilment": {"pk": "project", "entry_pk": "funds_entry"},
    "intelligence": {"pk": "article", "item_key": lambda w: "org:0"},
    "chains": {"cluster_id": "cluster", "number": lambda w: w["map_version"].number, "fmt": lambda w: "json",
               "link_id": "link", "placement_id": "placement", "organisation_id": "organisation",
               "project_id": "project"},
    "relations": {"pk": "organisation", "relation_pk": "relation", "tie_pk": "tie"},
    "talent": {"pk": "talent"},
    "thinktanks": {"pk": "cooperation", "activity_pk": "cooperation_activity", "outcome_pk": "cooperation_outcome"},
    "offers": {"unit_pk": "unit", "kind": lambda w: "park"},
    "fairness": {"pk": "flag"},
    "events": {"pk": "event", "signing_pk": "signing", "participant_pk": "participant", "photo_pk": "photo",
               "size": lambda w: "square", "project_pk": "project", "page_pk": "event_page",
               "token": lambda w: w["event_page"].token},
    # Admin: every route denies our roles (none is staff) before it looks at the parameters.
    "admin": {"object_id": lambda w: w["project"].pk, "id": lambda w: w["users"]["district"].pk,
              "app_label": lambda w: "projects", "content_type_id": lambda w: 1, "url": lambda w: "no-such-page/"},
}

# API path parameters: their names say what they are.
API_PARAMS = {
    "unit_id": "unit", "organisation_id": "organisation", "merge_id": "merge", "arbitration_id": "arbitration",
    "project_id": "project", "activity_id": "activity", "notification_id": "notification",
    "recommendation_id": "recommendation", "target_id": "target", "request_id": "service_request",
    "reply_id": "reply", "talent_id": "talent", "event_id": "event", "signing_id": "signing", "need_id": "need",
    "cooperation_id": "cooperation", "flag_id": "flag",
    # Organisations in bodies: on PostgreSQL ids are never reused after a rollback, so a default id of 1
    # names nothing once other tests have run (units and clusters come from migrations and keep theirs).
    "partner_id": "organisation", "duplicate_id": "organisation2",
}
API_OFFER = {"parks": "park", "sites": "site", "policies": "policy", "resources": "resource"}


def _value(world, ref):
    if callable(ref):
        return ref(world)
    value = world[ref]
    return getattr(value, "pk", value)


def sample_values(route, world) -> tuple[dict, list]:
    """({param: value}, [params without a sample])."""
    values, missing = {}, []
    namespace = route.name.split(":")[0]
    for param in route.params:
        ref = BY_ROUTE.get(route.name, {}).get(param)
        if ref is None and route.kind == "api":
            ref = API_PARAMS.get(param)
            if param == "offer_id":
                ref = API_OFFER.get(route.template.split("/")[4])
        if ref is None:
            ref = BY_NAMESPACE.get(namespace, {}).get(param)
        if ref is None:
            missing.append(param)
        else:
            values[param] = _value(world, ref)
    return values, missing


def api_body(route, world):
    """The route's minimal body with every id naming the world's record of that kind (a body id of 1
    would name whatever happens to be first)."""
    body = route.body
    if not isinstance(body, dict):
        return body
    out = dict(body)
    for key in out:
        ref = API_PARAMS.get(key)
        if ref is not None:
            out[key] = _value(world, ref)
    if "unit_id" in out:  # offers are registered for 九龙坡区, the world's unit
        out["unit_id"] = world["unit"].pk
    return out

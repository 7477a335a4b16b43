from ninja import Router

router = Router(tags=["履约监测"])

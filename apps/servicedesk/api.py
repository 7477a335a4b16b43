from ninja import Router

router = Router(tags=["企业诉求"])

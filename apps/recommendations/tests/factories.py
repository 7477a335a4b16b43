"""Small helpers the recommendation tests share (the fixtures are in conftest.py)."""

import datetime

D = datetime.date


def target_of(recommendation, unit_name: str):
    return recommendation.targets.select_related("unit").get(unit__name=unit_name)

"""`manage.py bench import|search|match|http` at a small size: `make bench` runs these at a million rows, and a
change elsewhere (the login throttle needing a request to issue a token) once broke `bench http` unnoticed.
Each must still end with its one JSON line, and the search must still agree with the naive scan."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from apps.organisations.models import Organisation


def _bench(*args) -> dict:
    out = StringIO()
    call_command("bench", *args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue().strip().splitlines()[-1])


# Transactional: `bench http` serves the pages from a server thread with a connection of its own, which must
# see the imported rows.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bench_library_commands_print_their_json_lines(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    imported = _bench("import", "--orgs", "600", "--reset", "--encoding", "gb18030")
    assert imported["bench"] == "import" and imported["rows"] == 600
    assert imported["created"] == Organisation.objects.count() and imported["failed"] == 0
    assert imported["created"] > 500  # a few generated rows are branches or repeats, matched to others

    search = _bench("search", "--queries", "40", "--naive", "40")
    assert search["same_top20"] is True and search["mismatches"] == []
    assert search["naive_checked"] == 40
    assert set(search["classes"]) == {"2char", "3char", "tradename", "4plus"}

    match = _bench("match", "--queries", "30")
    assert sum(match["verdicts"].values()) == 30
    assert match["verdicts"]["same"] > 0  # queries are cut from names in the library

    http = _bench("http", "--queries", "20")
    assert http["orgs"] == imported["created"]
    assert http["api_requests"] == 20 and http["page_requests"] == 20
    assert http["api_p95_ms"] > 0 and http["page_p95_ms"] > 0

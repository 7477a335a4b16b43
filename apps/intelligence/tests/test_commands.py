"""manage.py extract_news, manage.py bench news, and the labelled corpus as a regression floor."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.intelligence.extract.evaluate import corpus_files, evaluate

SEED = Path(__file__).resolve().parent / "fixtures" / "seed-article-2025-11-02-chongqing-daily.txt"


def _run(*args) -> str:
    out = StringIO()
    call_command("extract_news", *args, stdout=out)
    return out.getvalue()


def test_extract_news_file_prints_one_json_object():
    data = json.loads(_run(str(SEED), "--json"))
    assert [18, 23950000000] in data["pairs"]
    assert data["regions"][:4] == ["江北区", "九龙坡区", "长寿区", "大渡口区"]
    assert {"name", "region", "amount_yuan", "chain_role"} <= set(data["projects"][0])
    assert data["published"] == "2025-11-02"


def test_extract_news_date_override_changes_history(tmp_path):
    file = tmp_path / "a.txt"
    file.write_text("标题\n11月19日,重庆江北区签约项目9个,总投资68.3亿元。", encoding="utf-8")
    data = json.loads(_run(str(file), "--json", "--date", "2025-11-20"))
    assert data["published"] == "2025-11-20"
    assert data["region_details"][0]["historical"] is True
    assert data["dates"] == ["2025-11-19"]


def test_extract_news_folder_prints_one_line_per_file(tmp_path):
    (tmp_path / "a.txt").write_text("标题\n签约项目2个,总投资3亿元。", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes("标题\n签约项目4个,总投资8亿元。".encode("gb18030"))
    (tmp_path / "notes.csv").write_text("ignored", encoding="utf-8")
    lines = _run(str(tmp_path), "--json").strip().splitlines()
    assert [json.loads(line)["pairs"] for line in lines] == [[[2, 300000000]], [[4, 800000000]]]


def test_extract_news_errors_in_chinese(tmp_path):
    with pytest.raises(CommandError, match="找不到文件或文件夹"):
        _run(str(tmp_path / "missing.txt"))
    with pytest.raises(CommandError, match="格式不对"):
        _run(str(SEED), "--date", "2025/11/02")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not a real docx")
    with pytest.raises(CommandError, match="无法解析文件"):
        _run(str(broken))


def test_bench_news_prints_one_json_line():
    out = StringIO()
    call_command("bench", "news", "--runs", "20", stdout=out)
    data = json.loads(out.getvalue().strip().splitlines()[-1])
    assert data["articles"] == 20 and data["chars_per_article"] == 3000
    assert data["articles_per_s"] > 0 and data["p95_ms"] > 0


def test_corpus_size_and_groups():
    files = corpus_files()
    assert len(files) >= 30
    groups = [json.loads(f.with_suffix(".json").read_text(encoding="utf-8"))["group"] for f in files]
    assert groups.count("heldout") >= 10


def test_corpus_scores_do_not_regress():
    """A floor under the numbers in docs/benchmarks-news.md: a change that loses them fails here."""
    scores = evaluate().scores["all"]
    floors = {"amounts": 0.95, "pairs": 0.9, "regions": 0.95, "orgs": 0.9, "projects": 0.9, "events": 0.8}
    for name, floor in floors.items():
        assert scores[name].precision >= floor, name
        assert scores[name].recall >= floor, name

"""The XLSX import: names or credit codes matched, unknown names reported by row or created when ticked,
all or nothing."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from apps.organisations.models import Organisation
from apps.relations.excel import relation_import, template_xlsx
from apps.relations.models import Relation

pytestmark = pytest.mark.django_db
CODE = "91110000600037341L"


def _xlsx(rows, header=("企业名称", "关联企业名称", "关系类型", "强度", "依据")):
    book = openpyxl.Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_rows_are_matched_by_name_short_form_or_credit_code(users, make_org):
    car = make_org("长安汽车股份有限公司")
    huayuan = make_org("骅远科技(北京)有限公司", credit_code=CODE)
    fund = make_org("中关村发展集团股份有限公司")
    report = relation_import(actor=users["district"], filename="r.xlsx", stream=_xlsx([
        ["长安汽车股份有限公司", CODE, "客户", "强", "2024年采购合同"],
        ["长安汽车股份有限公司", "中关村发展集团股份有限公司", "投资方", "弱", ""],
        ["长安汽车股份有限公司", "骅远科技（北京）有限公司", "客户", "中", "同一事实再写一遍"],
    ]))
    assert report.ok, report.errors
    assert (report.rows, report.created, report.duplicates) == (3, 2, 1)
    customer = Relation.objects.get(kind="supplier")
    assert (customer.organisation, customer.related, customer.strength, customer.source) == (huayuan, car, 3, "import")
    assert Relation.objects.get(kind="investor").related == fund


def test_any_bad_row_writes_nothing_and_each_is_named(users, make_org):
    make_org("长安汽车股份有限公司")
    report = relation_import(actor=users["district"], filename="r.xlsx", stream=_xlsx([
        ["长安汽车股份有限公司", "长安汽车股份有限公司", "供应商", "强", ""],
        ["长安汽车股份有限公司", "", "供应商", "", ""],
        ["长安汽车股份有限公司", "新来的电池有限公司", "供应商", "", ""],
    ]))
    assert report.errors == [
        "第2行：企业与关联企业是同一主体。",
        "第3行：关联企业名称为空。",
        "第4行：关联企业名称：目标库中找不到“新来的电池有限公司”；如需登记为新主体，请勾选“目标库中没有的企业自动登记”。",
    ]
    assert not Relation.objects.exists()


def test_ticking_create_registers_unknown_names_as_new_library_entries(users, make_org):
    make_org("长安汽车股份有限公司")
    report = relation_import(actor=users["district"], filename="r.xlsx", create_missing=True, stream=_xlsx([
        ["长安汽车股份有限公司", "新来的电池有限公司", "供应商", "强", ""],
    ]))
    assert report.ok and report.created == 1 and report.new_organisations == ["新来的电池有限公司"]
    assert Organisation.objects.filter(name="新来的电池有限公司", source="企业关系导入").exists()


def test_a_missing_column_is_reported_and_leaders_may_not_import(users):
    from apps.core.errors import DomainError

    with pytest.raises(DomainError, match="表头缺少“关系类型”列"):
        relation_import(actor=users["office"], filename="r.xlsx", stream=_xlsx([], header=("企业名称", "关联企业名称")))
    with pytest.raises(PermissionDenied):
        relation_import(actor=users["leader"], filename="r.xlsx", stream=_xlsx([]))


def test_the_template_reads_back_as_its_own_header(users):
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    assert [c.value for c in book.active[1]] == ["企业名称", "关联企业名称", "关系类型", "强度", "依据"]

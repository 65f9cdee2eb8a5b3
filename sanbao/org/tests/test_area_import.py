"""`sanbao areas import`: all rows or none, every bad row named by line and field, effective dating."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanbao.audit.models import AuditEvent
from sanbao.audit.tests.helpers import run_command
from sanbao.org.area_import import read_csv
from sanbao.org.models import Area, Unit, User

HEADER = "code,name,level,parent_code,urban_rural_class,valid_from,valid_to\n"
# A new township under the demo county, its villages listed before it and a grid before its village.
NEW_TOWNSHIP = (
    "360921301001,新塘村,村,,220,,\n"
    "360921301001001,第1网格,网格,,,,\n"
    "360921301000,新塘镇,乡镇,360921000000,,2026-01-01,\n"
    "360921301002,老塘村,village,,220,,\n"
)


@pytest.fixture
def run_cli(capsys):
    return lambda *argv: run_command(capsys, *argv)


@pytest.fixture
def csv_file(tmp_path):
    def write(body: str, *, header: str = HEADER, encoding: str = "utf-8") -> str:
        path = tmp_path / "areas.csv"
        path.write_bytes((header + body).encode(encoding))
        return str(path)

    return write


def import_events():
    return AuditEvent.objects.filter(event_code="org.areas_imported").order_by("seq")


@pytest.mark.django_db
def test_good_file_creates_every_row_parents_first_and_is_audited(run_cli, csv_file):
    before, events_before = Area.objects.count(), import_events().count()
    code, out, err = run_cli("areas", "import", csv_file(NEW_TOWNSHIP))
    assert code == 0, err
    assert "4 created, 0 updated, 0 retired, 0 unchanged" in out
    assert Area.objects.count() == before + 4
    grid = Area.objects.get(code="360921301001001")
    assert (grid.level, grid.parent.code, grid.parent.parent.code) == ("grid", "360921301001", "360921301000")
    assert Area.objects.get(code="360921301000").valid_from.isoformat() == "2026-01-01"
    event = import_events().last()
    assert import_events().count() == events_before + 1
    assert event.actor_username.startswith("cli:")
    assert event.after["created"] == 4 and event.after["source"]["file"] == "areas.csv"
    assert len(event.after["source"]["sha256"]) == 64


@pytest.mark.django_db
def test_three_good_rows_and_one_bad_row_write_nothing_and_name_the_line(run_cli, csv_file):
    body = NEW_TOWNSHIP.replace("360921301002,老塘村,village", "36092130100,老塘村,village")
    before, events_before = Area.objects.count(), import_events().count()
    code, _, err = run_cli("areas", "import", csv_file(body))
    assert code == 1
    assert "line 5, code: '36092130100' must be 12 digits" in err
    assert "nothing was imported" in err
    assert Area.objects.count() == before
    assert import_events().count() == events_before


BAD_ROWS = {
    "bad code length": ("3609213010010,x,村,,,,", "code", "must be 12 digits"),
    "letters in code": ("36092130100A,x,村,,,,", "code", "must be 12 digits"),
    "digits after the prefix": ("360921301005,x,乡镇,,,,", "code", "digits after the first 9 must be 0"),
    "own digits zero": ("360921000000,x,乡镇,,,,", "code", "township digits are all 0"),
    "unknown level": ("360921301003,x,hamlet,,,,", "level", "unknown level 'hamlet'"),
    "missing name": ("360921301003, ,村,,,,", "name", "is required"),
    "bad date": ("360921301003,x,村,,,2026-02-30,", "valid_from", "'2026-02-30' is not a date"),
    "bad valid_to": ("360921301003,x,村,,,,31/12/2025", "valid_to", "is not a date"),
    "valid_to before valid_from": ("360921301003,x,村,,,2026-02-01,2026-01-01", "valid_to", "before"),
    "parent not derived from code": ("360921301003,x,村,360921102000,,,", "parent_code", "be 360921301000"),
    "bad urban-rural class": ("360921301003,x,村,,22,,", "urban_rural_class", "must be 3 digits"),
    "unknown parent": ("360921401001,x,村,,,,", "parent_code", "parent 360921401000 is neither"),
    "duplicate code": ("360921301001,又一个,村,,,,", "code", "already appears on line 2"),
    "extra field": ("360921301003,x,村,,,,,surplus", "row", "more fields than the header"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_each_kind_of_bad_row_is_named_by_line_and_field(run_cli, csv_file, case):
    row, field, message = BAD_ROWS[case]
    before = Area.objects.count()
    code, _, err = run_cli("areas", "import", csv_file(NEW_TOWNSHIP + row + "\n"))
    assert code == 1
    assert f"line 6, {field}: " in err and message in err, err
    assert Area.objects.count() == before


@pytest.mark.django_db
def test_every_bad_row_is_reported_at_once_and_blank_lines_keep_numbering(run_cli, csv_file):
    body = "360921301001,,村,,,,\n\n360921301002,x,hamlet,,,,\n360921401001,x,村,,,,\n"
    code, _, err = run_cli("areas", "import", csv_file(body))
    assert code == 1
    assert "2 problem(s)" in err  # the file's own errors; the database checks run once the file is clean
    assert "line 2, name: is required" in err and "line 4, level: unknown level" in err


@pytest.mark.django_db
def test_unknown_parent_is_reported_with_the_other_database_checks(run_cli, csv_file):
    body = "360921401001,x,村,,,,\n360921402001,y,村,,,,\n"
    code, _, err = run_cli("areas", "import", csv_file(body))
    assert code == 1
    assert "2 problem(s)" in err
    assert "line 2, parent_code: parent 360921401000" in err
    assert "line 3, parent_code: parent 360921402000" in err


@pytest.mark.django_db
def test_missing_columns_are_reported_on_line_1(run_cli, csv_file):
    code, _, err = run_cli("areas", "import", csv_file("360921301001,x\n", header="code,name\n"))
    assert code == 1
    assert "line 1, level: column is missing" in err


@pytest.mark.django_db
def test_dry_run_counts_and_writes_nothing(run_cli, csv_file):
    before, events_before = Area.objects.count(), import_events().count()
    code, out, _ = run_cli("areas", "import", csv_file(NEW_TOWNSHIP), "--dry-run")
    assert code == 0
    assert "Dry run, nothing written" in out and "4 created" in out
    assert Area.objects.count() == before
    assert import_events().count() == events_before


@pytest.mark.django_db
def test_existing_code_with_a_new_name_is_renamed_in_place(run_cli, csv_file, demo_users):
    township = Area.objects.get(code="360921101000")
    old_name = township.name
    code, out, err = run_cli("areas", "import", csv_file(f"360921101000,青山街道,乡镇,,,,\n{NEW_TOWNSHIP}"))
    assert code == 0, err
    assert "4 created, 1 updated" in out
    township.refresh_from_db()
    assert township.name == "青山街道"
    assert Area.objects.filter(code="360921101000").count() == 1
    event = import_events().last()
    assert event.before == {"changed": {"360921101000": {"name": old_name}}}
    assert event.after["changed"] == {"360921101000": {"name": "青山街道"}}
    clerk = demo_users["qingshan.clerk"]
    assert Unit.objects.visible_to(clerk).filter(pk=clerk.unit_id).exists()


@pytest.mark.django_db
def test_reimporting_the_same_rows_changes_nothing(run_cli, csv_file):
    run_cli("areas", "import", csv_file(NEW_TOWNSHIP))
    code, out, _ = run_cli("areas", "import", csv_file(NEW_TOWNSHIP))
    assert code == 0
    assert "0 created, 0 updated, 0 retired, 4 unchanged" in out


@pytest.mark.django_db
def test_valid_to_retires_a_code_with_its_sub_areas(run_cli, csv_file):
    run_cli("areas", "import", csv_file(NEW_TOWNSHIP))
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    code, _, err = run_cli("areas", "import", csv_file(f"360921301001,新塘村,村,,,,{day}\n"))
    assert code == 1
    assert "line 2, valid_to: current sub-areas must be retired in the same file: 360921301001001" in err
    body = f"360921301001,新塘村,村,,,,{day}\n360921301001001,第1网格,网格,,,,{day}\n"
    code, out, err = run_cli("areas", "import", csv_file(body))
    assert code == 0, err
    assert "2 retired" in out
    assert not Area.objects.current().filter(code__startswith="360921301001").exists()
    retired = Area.objects.get(code="360921301001")
    assert retired.valid_to.isoformat() == day
    assert import_events().last().after["retired"] == {"360921301001": day, "360921301001001": day}
    code, out, _ = run_cli("areas", "import", csv_file("360921301001,新塘社区,社区,,111,,\n"))
    assert (code, "1 created" in out) == (0, True)
    assert Area.objects.filter(code="360921301001").count() == 2
    assert Area.objects.current().get(code="360921301001").name == "新塘社区"


@pytest.mark.django_db
def test_retiring_needs_a_current_code_a_past_date_and_no_current_children_in_the_file(run_cli, csv_file):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    body = (
        f"360921101001,x,村,,,,{tomorrow}\n"
        "360921999000,x,乡镇,,,,2025-01-01\n"
        "360921101000,青山镇,乡镇,,,,2025-01-01\n"
        "360921101099,新村,村,,,,\n"
    )
    code, _, err = run_cli("areas", "import", csv_file(body))
    assert code == 1
    assert "line 2, valid_to: cannot be in the future" in err
    assert "line 3, valid_to: there is no current area 360921999000 to retire" in err
    assert "line 4, valid_to: current sub-areas must be retired in the same file" in err
    assert "line 5, parent_code: parent 360921101000 is retired on line 4" in err


@pytest.mark.django_db
def test_gbk_file_with_chinese_headers(run_cli, csv_file):
    header = "区划代码,名称,级别,上级代码,城乡分类代码,生效日期,失效日期\n"
    code, out, err = run_cli("areas", "import", csv_file(NEW_TOWNSHIP, header=header, encoding="gbk"))
    assert code == 0, err
    assert Area.objects.get(code="360921301001").name == "新塘村"


@pytest.mark.django_db
def test_unreadable_file_is_an_error(run_cli, tmp_path):
    code, _, err = run_cli("areas", "import", str(tmp_path / "missing.csv"))
    assert code == 1
    assert "Cannot read" in err


def test_read_csv_reports_header_and_rows_without_the_database():
    rows, errors = read_csv("\ufeffcode,name,level\n360921301000,新塘镇,乡镇\n360921301000,重复,乡镇\n")
    assert [row.code for row in rows] == ["360921301000"]
    assert [str(error) for error in errors] == ["line 3, code: 360921301000 already appears on line 2"]


@pytest.mark.django_db
def test_import_does_not_touch_users_or_units(run_cli, csv_file):
    units, users = Unit.objects.count(), User.objects.count()
    run_cli("areas", "import", csv_file(NEW_TOWNSHIP))
    assert (Unit.objects.count(), User.objects.count()) == (units, users)

import pytest

from sanbao.core.errors import ValidationFailed
from sanbao.matters import personal


def test_gb11643_check_digit_of_the_standard_example():
    assert personal.resident_id_check_digit("11010519491231002") == "X"
    assert personal.validate_resident_id("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize("value", ["110105194912310021", "11010519491331002X", "1101051949123100", "abc"])
def test_invalid_resident_ids(value):
    with pytest.raises(ValidationFailed) as error:
        personal.validate_resident_id(value)
    assert error.value.field == "id_number" and error.value.code == "invalid_id_number"


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("0791-86123456", "0791-86123456"),
        ("０７９１８６１２３４５６", "079186123456"),
        ("12345", "12345"),
    ],
)
def test_phones(value, normalised):
    assert personal.validate_phone(value) == normalised


@pytest.mark.parametrize("value", ["1381234567", "23812345678", "86123456", "phone"])
def test_invalid_phones(value):
    with pytest.raises(ValidationFailed):
        personal.validate_phone(value)


def test_masks():
    assert personal.mask_id_number("11010519491231002X") == "110105********002X"
    assert personal.mask_phone("13812345678") == "138****5678"
    assert personal.mask_phone("0791-86123456") == "0791-****3456"
    assert personal.mask_name("张三") == "张*"
    assert personal.mask_name("欧阳修文") == "欧***"
    assert personal.mask_address("青山镇东塘村3组12号") == "青山镇东塘村****"
    assert personal.mask_id_number("") == personal.mask_phone("") == ""


def test_credit_code_and_other_documents():
    assert personal.validate_id_number("credit_code", "91360921MA35XXXX1Y".replace("X", "A")).startswith(
        "9136"
    )
    with pytest.raises(ValidationFailed):
        personal.validate_id_number("credit_code", "123")
    assert personal.validate_id_number("passport", "e1234 5678") == "E12345678"


@pytest.mark.parametrize(
    ("text", "names", "redacted"),
    [
        ("张小明（138 1234 5678）反映", ["张小明"], "张**（138****5678）反映"),
        ("电话138-1234-5678，座机0791-86123456", [], "电话138****5678，座机0791-****3456"),
        ("身份证11010519491231002x号", [], "身份证110105********002x号"),
        ("老身份证110105491231002", [], "老身份证110105*****1002"),
        # Longer runs of digits (a bank card, a matter code's area) and a one-character name stay as written.
        *[(text, ["王"], text) for text in ["卡号6222021234567890123，JF-360921101-2026-000123，王某"]],
        # The longer name first, so that 欧阳修文 is not left as 欧阳*文 by the name 欧阳.
        ("欧阳修文与欧阳", ["欧阳", "欧阳修文"], "欧***与欧*"),
        ("", ["张三"], ""),
    ],
)
def test_redact_masks_numbers_and_the_given_names_in_free_text(text, names, redacted):
    assert personal.redact(text, names) == redacted

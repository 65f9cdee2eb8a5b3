from hypothesis import given
from hypothesis import strategies as st

from sanbao.intake.normalise import (
    collapse_whitespace,
    normalise_text,
    phones_in,
    resident_ids_in,
    to_half_width,
    to_simplified,
    unify_numbers,
)


def test_traditional_becomes_simplified():
    assert to_simplified("學校門口噪音擾民") == "学校门口噪音扰民"
    assert to_simplified("小區物業亂收費") == "小区物业乱收费"
    assert to_simplified("已经是简体") == "已经是简体"


def test_full_width_becomes_half_width():
    assert to_half_width("ＡＢＣ１２３（一）") == "ABC123(一)"
    assert to_half_width("甲\u3000乙") == "甲 乙"


def test_whitespace_and_invisible_characters():
    assert collapse_whitespace("  甲\u200b乙 \n\n\t 丙\u00a0丁  ") == "甲乙 丙 丁"


def test_mobile_numbers_in_every_shape_become_one():
    for written in ["138 1234 5678", "138-1234-5678", "+86 13812345678", "0086-138.1234.5678", "13812345678"]:
        assert unify_numbers(f"电话{written}联系") == "电话13812345678联系", written


def test_landlines_and_resident_ids():
    assert unify_numbers("(0791)86123456") == "0791-86123456"
    assert unify_numbers("0791 86123456") == "0791-86123456"
    assert unify_numbers("身份证 360102 19900307 123x") == "身份证 36010219900307123X"


def test_normalise_text_combines_all_steps_and_extracts_numbers():
    text = normalise_text("學校門口　電話：１３８ １２３４ ５６７８，身份證３６０１０２１９９００３０７１２３ｘ")
    assert text == "学校门口 电话:13812345678,身份证36010219900307123X"
    assert phones_in(text) == {"13812345678"}
    assert resident_ids_in(text) == {"36010219900307123X"}
    assert normalise_text(None) == ""


def test_numbers_inside_longer_digit_runs_are_left_alone():
    # A 20-digit account number is not a phone.
    assert phones_in(normalise_text("账号62284813812345678901")) == set()


@given(st.text(max_size=200))
def test_normalisation_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once

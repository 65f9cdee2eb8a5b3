import pytest

from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.matters import actions
from sanbao.matters.categories import seed_rows
from sanbao.matters.models import Category, CategoryScheme
from sanbao.matters.tests.factories import make_matter, user
from sanbao.matters.tests.helpers import audit_codes_since, last_seq

pytestmark = pytest.mark.django_db


def test_seed_has_every_kind_with_two_level_petition_categories():
    assert {scheme.kind for scheme in CategoryScheme.objects.filter(is_current=True)} == {
        "dispute",
        "petition",
        "hazard",
        "incident",
        "enterprise_request",
    }
    names = set(Category.objects.current("dispute").values_list("name", flat=True))
    assert {"婚姻家庭", "劳动争议(含欠薪)", "物业管理", "其他"} <= names
    petition = Category.objects.current("petition")
    assert petition.filter(parent__isnull=True).count() == 15
    assert petition.get(code="XF01").name == "城乡建设"
    assert len(seed_rows()["petition"]) == petition.count()


def test_publishing_a_new_version_keeps_old_matters_on_their_category():
    matter = make_matter()
    old = matter.category
    seq = last_seq()
    scheme = actions.publish_category_scheme(
        actor=user("sysadmin"),
        kind="dispute",
        name="矛盾纠纷类别",
        rows=[("JF01", "婚姻家庭", None), ("JF0101", "离婚财产", "JF01"), ("JF02", "其他", None)],
    )
    assert audit_codes_since(seq) == ["matters.category_scheme_published"]
    assert scheme.version == 2 and scheme.is_current
    assert set(Category.objects.current("dispute").values_list("code", flat=True)) == {
        "JF01",
        "JF0101",
        "JF02",
    }
    matter.refresh_from_db()
    assert matter.category == old and not CategoryScheme.objects.get(pk=old.scheme_id).is_current
    with pytest.raises(ValidationFailed) as error:
        make_matter(category=old)
    assert error.value.field == "category"


def test_publishing_checks_rows_and_role():
    with pytest.raises(ValidationFailed) as error:
        actions.publish_category_scheme(
            actor=user("sysadmin"), kind="dispute", name="x", rows=[("A", "甲", None), ("B", "乙", "C")]
        )
    assert "row 2" in str(error.value) or "第 2 行" in str(error.value)
    with pytest.raises(PermissionDenied):
        actions.publish_category_scheme(
            actor=user("county.director"), kind="dispute", name="x", rows=[("A", "甲", None)]
        )
    assert CategoryScheme.objects.filter(kind="dispute").count() == 1

"""Suggestions for the intake form: the likeliest category and lead unit, with a confidence.

A lead unit is only ever suggested among the units the user may assign the
matter to (``sanbao.matters.policy.assignable_units``); a category only among
the active categories (of the chosen kind, when the clerk has chosen one).
"""

from sanbao.intake.triage.site import MIN_CONFIDENCE, load_models, matter_text

# Fewer characters than this say too little to suggest anything.
MIN_TEXT_CHARS = 6


def _first_allowed(ranked: list[tuple[int, float]], allowed: dict[int, str]) -> dict | None:
    for label, confidence in ranked:
        if label in allowed and confidence >= MIN_CONFIDENCE:
            return {"id": label, "name": allowed[label], "confidence": confidence}
    return None


def _categories(kind: str | None) -> dict[int, str]:
    from sanbao.matters.models import Category

    categories = Category.objects.filter(is_active=True, scheme__is_current=True).select_related("parent")
    if kind:
        categories = categories.filter(scheme__kind=kind)
    return {category.pk: str(category) for category in categories}


def _assignable(user, area_code: str) -> dict[int, str]:
    from sanbao.matters.models import Matter
    from sanbao.matters.policy import assignable_units

    # The matter is not registered yet: the rule only needs where it happened.
    return dict(assignable_units(user, Matter(area_code=area_code)).values_list("pk", "name"))


def default_area_code(user) -> str:
    """Where the user's centre is: the area a new matter most likely belongs to."""
    return user.unit.area.code if user.unit_id else ""


def suggest_for_intake(title: str, narrative: str, *, user, area_code: str = "", kind: str = "") -> dict | None:
    """Top category and lead unit for a matter being registered, or None (no model or too little text)."""
    models = load_models()
    text = matter_text(title, narrative)
    if models is None or len((title or "") + (narrative or "")) < MIN_TEXT_CHARS:
        return None
    some_model = models.category or models.lead_unit
    if some_model is None:
        return None
    # The two models share their features: featurise the text once.
    vector = some_model.vectorise([text])
    category = lead_unit = None
    if models.category is not None:
        ranked = models.category.suggest(text, top=len(models.category.labels), vector=vector)
        category = _first_allowed(ranked, _categories(kind))
    area_code = area_code or default_area_code(user)
    if models.lead_unit is not None and area_code:
        shared = models.lead_unit.features is some_model.features
        ranked = models.lead_unit.suggest(text, top=len(models.lead_unit.labels), vector=vector if shared else None)
        lead_unit = _first_allowed(ranked, _assignable(user, area_code))
    if category is None and lead_unit is None:
        return None
    return {"version": models.version, "category": category, "lead_unit": lead_unit}

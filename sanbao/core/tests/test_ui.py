"""style_form: every widget gets the Bootstrap class that draws it as what it is."""

from django import forms

from sanbao.core.ui import style_form


class Everything(forms.Form):
    text = forms.CharField()
    kind = forms.ChoiceField(choices=[("a", "A")])
    decision = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    days = forms.MultipleChoiceField(choices=[("1", "一")], widget=forms.CheckboxSelectMultiple)
    resolved = forms.BooleanField(required=False)


def test_each_widget_gets_the_class_of_its_kind_once():
    form = Everything()
    style_form(form)
    style_form(form)  # idempotent: list pages style the same form on every access
    classes = {name: field.widget.attrs["class"] for name, field in form.fields.items()}
    assert classes == {
        "text": "form-control form-control-sm",
        "kind": "form-select form-select-sm",
        "decision": "sanbao-choices",  # not form-select: a radio drawn as an empty select box
        "days": "sanbao-choices",
        "resolved": "form-check-input",
    }
    html = str(form["decision"])
    assert '<div id="id_decision" class="sanbao-choices">' in html and 'type="radio"' in html

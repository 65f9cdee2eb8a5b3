"""The system checks refuse a schedule setting a background task could not use, and name it."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


def test_the_default_settings_pass_the_checks():
    call_command("check")


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("SANBAO_TRIAGE_HOUR", 24, "SANBAO_TRIAGE_HOUR must be 0–23, got 24."),
        ("SANBAO_TRIAGE_HOUR", -1, "SANBAO_TRIAGE_HOUR must be 0–23, got -1."),
        ("SANBAO_WARNING_EVERY_MINUTES", 0, "SANBAO_WARNING_EVERY_MINUTES must be 1 or more, got 0."),
        ("DEADLINE_SWEEP_MINUTES", 0, "DEADLINE_SWEEP_MINUTES must be 1 or more, got 0."),
    ],
)
def test_an_out_of_range_schedule_setting_is_refused_by_name(settings, name, value, says):
    setattr(settings, name, value)
    with pytest.raises(SystemCheckError, match=says):
        call_command("check")


def test_a_word_in_the_environment_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("SANBAO_TRIAGE_HOUR", "two")
    with pytest.raises(SystemCheckError, match="SANBAO_TRIAGE_HOUR must be an integer"):
        call_command("check")

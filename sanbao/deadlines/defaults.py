"""The time-limit rules Sanbao ships (DOMAIN.md §2, §3, §6), loaded as version 1 by migration 0003.

Every value is editable afterwards (``actions.edit_rule`` writes a new
version). ``is_local_practice`` marks [U] values: common practice, not fixed
by a national text. Event names are the matter workflow verbs
(``sanbao.matters.choices.Verb``); a transition carrying ``clock=<key>``
starts the rule's clock, and a transition named in ``stop_events`` (or the
matter closing) stops it.
"""

from sanbao.deadlines.choices import CountUnit, PauseReason
from sanbao.org.choices import Role

CALENDAR, WORKING = CountUnit.CALENDAR.value, CountUnit.WORKING.value
ALL_PAUSES = [PauseReason.HEARING.value, PauseReason.APPRAISAL.value, PauseReason.AWAITING_PETITIONER.value]
PETITION_BASIS = "信访工作条例（2022）"

DEFAULT_RULES = [
    # --- Petitions (信访工作条例) -------------------------------------------
    {
        "key": "petition.register", "name": "信访登记、转送、交办", "matter_kind": "petition",
        "step": "register", "start_event": "register",
        "stop_events": ["accept", "refuse", "assign", "transfer"],
        "amount": 15, "unit": CALENDAR, "basis": PETITION_BASIS,
    },
    {
        "key": "petition.accept", "name": "告知是否受理", "matter_kind": "petition",
        "step": "accept", "start_event": "assign", "stop_events": ["accept", "refuse", "legal_channel"],
        "amount": 15, "unit": CALENDAR, "basis": PETITION_BASIS,
    },
    {
        "key": "petition.handle", "name": "信访事项办结", "matter_kind": "petition",
        "step": "handle", "start_event": "accept", "stop_events": ["review", "close", "legal_channel"],
        "amount": 60, "unit": CALENDAR, "pause_events": ALL_PAUSES,
        "extension_cap": 30, "extension_approver_role": Role.DIRECTOR.value, "basis": PETITION_BASIS,
    },
    {
        "key": "petition.reexamine_window", "name": "申请复查期限（信访人）", "matter_kind": "petition",
        "step": "reexamine_window", "start_event": "review", "stop_events": ["request_review", "close"],
        "amount": 30, "unit": CALENDAR, "escalates": False, "basis": PETITION_BASIS,
    },
    {
        "key": "petition.reexamine", "name": "复查办结", "matter_kind": "petition",
        "step": "reexamine", "start_event": "request_review", "stop_events": ["feedback", "review", "close"],
        "amount": 30, "unit": CALENDAR, "pause_events": ALL_PAUSES, "extension_cap": 30,
        "extension_approver_role": Role.DIRECTOR.value, "basis": PETITION_BASIS,
    },
    {
        "key": "petition.recheck_window", "name": "申请复核期限（信访人）", "matter_kind": "petition",
        "step": "recheck_window", "start_event": "review", "stop_events": ["request_review", "close"],
        "amount": 30, "unit": CALENDAR, "escalates": False, "basis": PETITION_BASIS,
    },
    {
        "key": "petition.recheck", "name": "复核办结（听证时间不计）", "matter_kind": "petition",
        "step": "recheck", "start_event": "request_review", "stop_events": ["feedback", "review", "close"],
        "amount": 30, "unit": CALENDAR, "pause_events": ALL_PAUSES, "extension_cap": 30,
        "extension_approver_role": Role.DIRECTOR.value, "basis": PETITION_BASIS,
    },
    # --- Mediation (人民调解法; court confirmation) ----------------------------
    {
        "key": "mediation.judicial_confirmation", "name": "申请司法确认期限", "matter_kind": "dispute",
        "step": "judicial_confirmation", "start_event": "agreement_effective",
        "stop_events": ["judicial_confirmation_applied", "close"], "amount": 30, "unit": CALENDAR,
        "escalates": False, "basis": "人民调解法第33条；最高人民法院关于人民调解协议司法确认程序的若干规定",
    },
    # --- 12345-style dispatch loop (DOMAIN.md §6), [U] ----------------------
    {
        "key": "dispatch.sign", "name": "签收或退单", "step": "sign", "start_event": "assign",
        "stop_events": ["sign", "send_back", "reassign", "transfer"], "amount": 2, "unit": WORKING,
        "warn_working_days": 1, "is_local_practice": True, "basis": "12345热线工单办理通行做法",
    },
    {
        "key": "dispatch.handle", "name": "办理反馈", "step": "handle", "start_event": "sign",
        "stop_events": ["feedback", "send_back", "reassign", "transfer", "legal_channel"],
        "amount": 5, "unit": WORKING, "pause_events": ALL_PAUSES, "extension_cap": 10,
        "extension_approver_role": Role.DIRECTOR.value, "is_local_practice": True,
        "basis": "12345热线工单办理通行做法",
    },
    {
        "key": "dispatch.follow_up", "name": "回访", "step": "follow_up", "start_event": "review",
        "stop_events": ["follow_up", "close"], "amount": 1, "unit": WORKING, "warn_working_days": 1,
        "is_local_practice": True, "basis": "12345热线工单办理通行做法",
    },
    # --- Enterprise fast lane (涉企诉求), shorter limits, [U] -----------------
    {
        "key": "enterprise.sign", "name": "涉企诉求签收", "matter_kind": "enterprise_request", "step": "sign",
        "start_event": "assign", "stop_events": ["sign", "send_back", "reassign", "transfer"],
        "amount": 1, "unit": WORKING, "warn_working_days": 1, "is_local_practice": True,
        "basis": "优化营商环境涉企诉求快速办理通行做法",
    },
    {
        "key": "enterprise.handle", "name": "涉企诉求办理", "matter_kind": "enterprise_request",
        "step": "handle", "start_event": "sign",
        "stop_events": ["feedback", "send_back", "reassign", "transfer", "legal_channel"],
        "amount": 3, "unit": WORKING, "pause_events": ALL_PAUSES, "extension_cap": 5,
        "extension_approver_role": Role.DIRECTOR.value, "warn_working_days": 1, "is_local_practice": True,
        "basis": "优化营商环境涉企诉求快速办理通行做法",
    },
    {
        "key": "enterprise.follow_up", "name": "涉企诉求回访", "matter_kind": "enterprise_request",
        "step": "follow_up", "start_event": "review", "stop_events": ["follow_up", "close"],
        "amount": 1, "unit": WORKING, "warn_working_days": 1, "is_local_practice": True,
        "basis": "优化营商环境涉企诉求快速办理通行做法",
    },
    # --- Supervision (督办): the time the supervised unit has to report, [U] --
    {
        "key": "supervision.report", "name": "督办反馈", "step": "supervision", "start_event": "supervise",
        "stop_events": ["feedback", "close"], "amount": 3, "unit": WORKING, "warn_working_days": 1,
        "escalates": False, "is_local_practice": True, "basis": "督查督办通行做法",
    },
]

# The rule of the 督办 notice an overdue step gets automatically.
SUPERVISION_RULE = "supervision.report"

"""The time-limit rules Sanbao ships (DOMAIN.md §2, §3, §6), loaded as version 1 by migration 0003.

Keys are the clocks the matter workflows name (``sanbao.matters.workflows``,
``Transition.clock``); ``step`` is the matter step the clock governs.

* A *step clock* (``stop_states`` empty) runs while the matter waits at its
  step and stops at the matter's next move.
* A *spanning clock* (``petition.conclude``: 60 days from acceptance to the
  written opinion) runs across steps and stops when the matter reaches one of
  ``stop_states`` or is no longer open.

Every value is editable afterwards (``actions.edit_rule`` writes a new
version). ``is_local_practice`` marks [U] values: common practice, not fixed
by a national text, chosen here and configurable.
"""

from sanbao.deadlines.choices import CountUnit, PauseReason
from sanbao.matters.choices import MatterKind, MatterState
from sanbao.org.choices import Role

CALENDAR, WORKING = CountUnit.CALENDAR.value, CountUnit.WORKING.value
ALL_PAUSES = [reason.value for reason in PauseReason]
DIRECTOR = Role.DIRECTOR.value
PETITION_BASIS = "信访工作条例（2022）"
HOTLINE_BASIS = "12345热线工单办理通行做法 [U]"
ENTERPRISE_BASIS = "涉企诉求快速办理通行做法 [U]"
S = MatterState


def _rule(key, name, step, amount, unit, *, start_event, **values) -> dict:
    kind = key.partition(".")[0]
    rule = {
        "key": key, "name": name, "matter_kind": kind if kind in MatterKind.values else "",
        "step": str(step), "start_event": start_event, "amount": amount, "unit": unit,
    }
    rule.update(values)
    return rule


def _dispatch_rules(kind: str, handle: tuple[int, int], quick: int, basis: str, visit=True) -> list[dict]:
    """交办 → 签收/退单 → 办理 → 反馈审核 (→ 回访), the 12345 loop every kind shares (DOMAIN.md §6)."""
    amount, cap = handle
    local = {"is_local_practice": True, "basis": basis, "warn_working_days": 1}
    rules = [
        _rule(f"{kind}.sign", "签收或退单", S.ASSIGNED, quick, WORKING, start_event="assign", **local),
        _rule(f"{kind}.reassign", "退单改派", S.SENT_BACK, 1, WORKING, start_event="send_back", **local),
        _rule(f"{kind}.handle", "办理反馈", S.HANDLING, amount, WORKING, start_event="sign",
              pause_events=ALL_PAUSES, extension_cap=cap, extension_approver_role=DIRECTOR, **local),
        _rule(f"{kind}.review", "审核反馈", S.FEEDBACK, quick, WORKING, start_event="feedback", **local),
    ]
    if visit:
        rules.append(_rule(f"{kind}.follow_up", "回访", S.FOLLOW_UP, 1, WORKING, start_event="review",
                           **local))
    return rules


def _petition_rules() -> list[dict]:
    basis = {"basis": PETITION_BASIS}
    local = {"basis": PETITION_BASIS + " [U]", "is_local_practice": True}
    window = {"escalates": False, "warn_working_days": 5, **basis}
    extendable = {"pause_events": ALL_PAUSES, "extension_cap": 30, "extension_approver_role": DIRECTOR}
    concluded = [str(state) for state in (S.ANSWERED, S.CLOSED, S.TERMINATED, S.REFUSED, S.LEGAL_CHANNEL)]
    return [
        _rule("petition.forward", "登记、转送、交办", "", 15, CALENDAR, start_event="register", **basis),
        _rule("petition.accept", "登记并告知是否受理", S.REGISTERED, 15, CALENDAR,
              start_event="register", **basis),
        _rule("petition.conclude", "信访事项办结（受理之日起）", S.ACCEPTED, 60, CALENDAR,
              start_event="accept", stop_states=concluded, warn_working_days=5, **extendable, **basis),
        _rule("petition.sign", "签收或退单", S.ASSIGNED, 2, WORKING, start_event="assign",
              warn_working_days=1, **local),
        _rule("petition.reassign", "退单改派", S.SENT_BACK, 1, WORKING, start_event="send_back",
              warn_working_days=1, **local),
        _rule("petition.handle", "承办单位办理答复", S.HANDLING, 30, CALENDAR, start_event="sign",
              warn_working_days=3, **extendable, **local),
        _rule("petition.review", "审核答复意见", S.FEEDBACK, 3, WORKING, start_event="feedback",
              warn_working_days=1, **local),
        _rule("petition.review_window", "信访人申请复查期限", S.ANSWERED, 30, CALENDAR,
              start_event="review", **window),
        _rule("petition.reexamine", "复查办结", S.REEXAMINING, 30, CALENDAR, start_event="request_review",
              pause_events=ALL_PAUSES, warn_working_days=5, **basis),
        _rule("petition.recheck_window", "信访人申请复核期限", S.REEXAMINED, 30, CALENDAR,
              start_event="feedback", **window),
        _rule("petition.recheck", "复核办结（听证时间不计）", S.RECHECKING, 30, CALENDAR,
              start_event="request_review", pause_events=ALL_PAUSES, warn_working_days=5, **basis),
    ]


def _intake_rules() -> list[dict]:
    local = {"is_local_practice": True, "warn_working_days": 1}
    return [
        _rule("dispute.triage", "研判分流", S.REGISTERED, 2, WORKING, start_event="register",
              basis=HOTLINE_BASIS, **local),
        _rule("dispute.mediate", "先行调解", S.MEDIATING, 30, CALENDAR, start_event="accept",
              pause_events=ALL_PAUSES, extension_cap=15, extension_approver_role=DIRECTOR,
              basis="人民调解法 [U]", is_local_practice=True, warn_working_days=3),
        _rule("hazard.investigate", "调查核实", S.INVESTIGATING, 5, WORKING, start_event="register",
              basis="矛盾风险隐患排查通行做法 [U]", **local),
        _rule("incident.respond", "现场处置", S.RESPONDING, 1, WORKING, start_event="register",
              basis="突发事件应对通行做法 [U]", **local),
        _rule("incident.consult", "会商研判", S.CONSULTING, 2, WORKING, start_event="consult",
              basis="突发事件应对通行做法 [U]", **local),
        _rule("enterprise_request.assign", "涉企诉求交办", S.REGISTERED, 1, WORKING, start_event="register",
              basis=ENTERPRISE_BASIS, **local),
    ]


DEFAULT_RULES = [
    *_petition_rules(),
    *_intake_rules(),
    *_dispatch_rules(MatterKind.DISPUTE, (5, 10), 2, HOTLINE_BASIS),
    # A defused hazard is struck off at review (销号): no follow-up visit.
    *_dispatch_rules(MatterKind.HAZARD, (5, 10), 2, HOTLINE_BASIS, visit=False),
    *_dispatch_rules(MatterKind.INCIDENT, (5, 10), 2, HOTLINE_BASIS),
    *_dispatch_rules(MatterKind.ENTERPRISE_REQUEST, (3, 5), 1, ENTERPRISE_BASIS),
    _rule("mediation.judicial_confirmation", "申请司法确认期限（当事人）", "", 30, CALENDAR,
          start_event="agreement_effective", escalates=False, warn_working_days=5,
          basis="人民调解法第33条；最高人民法院关于人民调解协议司法确认程序的若干规定"),
    # The time a supervised unit has to report after a 督办 notice (automatic or by hand).
    _rule("supervision.report", "督办反馈", "", 3, WORKING, start_event="supervise", escalates=False,
          is_local_practice=True, warn_working_days=1, basis="督查督办通行做法 [U]"),
]

# The rule of the 督办 notice an overdue step gets automatically.
SUPERVISION_RULE = "supervision.report"

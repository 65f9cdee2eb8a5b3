"""Who may read the audit trail."""

from sanbao.org.choices import Role


def can_read_trail(user) -> bool:
    """Only the audit administrator (审计管理员) reads and exports the trail (三员分立, DOMAIN.md §7).

    Everyone else, including the system and security administrators whose
    actions the trail records, is refused with 403 and the refusal is audited.
    """
    return getattr(user, "is_authenticated", False) and user.has_role(Role.AUDIT_ADMIN)

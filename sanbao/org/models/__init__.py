from sanbao.org.models.areas import Area
from sanbao.org.models.units import Unit
from sanbao.org.models.users import RoleGrant, User

__all__ = ["Area", "RoleGrant", "Unit", "User"]

from sanbao.matters.models.categories import Category, CategoryScheme
from sanbao.matters.models.matters import Assignment, Matter, MatterCodeCounter, Tag
from sanbao.matters.models.parties import Attachment, Party
from sanbao.matters.models.records import (
    ExtensionRequest,
    Feedback,
    FollowUp,
    LeaderInstruction,
    MatterEvent,
    MatterNote,
    ReviewRequest,
    Supervision,
)

__all__ = [
    "Assignment",
    "Attachment",
    "Category",
    "CategoryScheme",
    "ExtensionRequest",
    "Feedback",
    "FollowUp",
    "LeaderInstruction",
    "Matter",
    "MatterCodeCounter",
    "MatterEvent",
    "MatterNote",
    "Party",
    "ReviewRequest",
    "Supervision",
    "Tag",
]

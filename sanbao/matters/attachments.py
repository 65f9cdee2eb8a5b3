"""Checking uploaded files before they become attachments of a matter.

A file is accepted when its extension is on the list, its first bytes match
that type (so a renamed executable is refused) and it is within the size
limit ``SANBAO_ATTACHMENT_MAX_MB`` (read when checked, so tests can override
it). Files are stored under ``MEDIA_ROOT`` with random names.
"""

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

from sanbao.core.errors import ValidationFailed

ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# extension → (content type, accepted leading bytes; None means "text that decodes as UTF-8 or GB18030")
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    ".ofd": ("application/ofd", ZIP),
    ".doc": ("application/msword", OLE),
    ".xls": ("application/vnd.ms-excel", OLE),
    ".wps": ("application/vnd.ms-works", OLE),
    ".mp3": ("audio/mpeg", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    ".wav": ("audio/wav", (b"RIFF",)),
    ".txt": ("text/plain", None),
}
DEFAULT_MAX_MB = 20
MAX_FILES = 20


@dataclass(frozen=True)
class CheckedFile:
    file: object
    name: str
    content_type: str
    size: int
    sha256: str


def max_bytes() -> int:
    return int(getattr(settings, "SANBAO_ATTACHMENT_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024


def _looks_like_text(head: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return b"\x00" not in head
    return False


def _read_all(upload) -> tuple[bytes, bytes]:
    digest = hashlib.sha256()
    upload.seek(0)
    head = upload.read(4096)
    digest.update(head)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return head, digest.hexdigest().encode()


def check_file(upload, field: str = "attachments") -> CheckedFile:
    """Check one uploaded file (a Django ``File``); raise ``ValidationFailed`` naming the file."""
    name = PurePath(getattr(upload, "name", "") or "file").name[:200]
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_TYPES:
        allowed = " ".join(sorted(ALLOWED_TYPES))
        raise ValidationFailed(
            _("%(name)s: this type of file is not accepted (accepted: %(allowed)s).")
            % {"name": name, "allowed": allowed},
            code="file_type",
            field=field,
        )
    size = upload.size
    if size > max_bytes():
        raise ValidationFailed(
            _("%(name)s is larger than %(limit)d MB.")
            % {"name": name, "limit": max_bytes() // (1024 * 1024)},
            code="file_too_large",
            field=field,
        )
    if size == 0:
        raise ValidationFailed(_("%(name)s is empty.") % {"name": name}, code="file_empty", field=field)
    head, sha256 = _read_all(upload)
    content_type, signatures = ALLOWED_TYPES[suffix]
    matches = _looks_like_text(head) if signatures is None else head.startswith(signatures)
    if not matches:
        raise ValidationFailed(
            _("%(name)s does not look like a %(suffix)s file; its content does not match its name.")
            % {"name": name, "suffix": suffix},
            code="file_content",
            field=field,
        )
    return CheckedFile(upload, name, content_type, size, sha256.decode())


def check_files(uploads, field: str = "attachments") -> list[CheckedFile]:
    uploads = list(uploads or [])
    if len(uploads) > MAX_FILES:
        raise ValidationFailed(
            _("At most %(count)d files at once.") % {"count": MAX_FILES}, code="too_many_files", field=field
        )
    return [check_file(upload, field) for upload in uploads]

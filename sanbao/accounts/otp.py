"""Authenticator enrolment helpers: the otpauth QR code, drawn locally as inline SVG."""

import base64

import qrcode
import qrcode.image.svg
from django.utils.safestring import mark_safe

QR_PIXELS = 220


def qr_svg(data: str) -> str:
    """An inline ``<svg>`` QR code of ``data`` (no image file, no request to any server)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage)
    root = image.get_image()
    root.set("width", str(QR_PIXELS))
    root.set("height", str(QR_PIXELS))
    root.set("role", "img")
    # The SVG is generated here from our own otpauth URL; no user text is interpolated as markup.
    return mark_safe(image.to_string(encoding="unicode"))


def readable_secret(device) -> str:
    """The base32 secret in groups of four, for typing into an authenticator by hand."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[index:index + 4] for index in range(0, len(secret), 4))

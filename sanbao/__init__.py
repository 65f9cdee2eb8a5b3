"""Sanbao (三保): grassroots political-legal and social-governance platform."""

__version__ = "0.1.0"

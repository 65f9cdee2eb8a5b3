"""Shared fixtures: see sanbao/core/testing.py for named users and the demo county."""

pytest_plugins = ["sanbao.core.testing"]

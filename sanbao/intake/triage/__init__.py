"""Triage suggestions: category and lead unit at intake, learnt from the site's own matters.

``classifier`` is the one learning implementation (``train`` / ``suggest``)
used by the product and by ``sanbao triage evaluate``; ``site`` trains and
stores the site's models and answers the intake form.
"""

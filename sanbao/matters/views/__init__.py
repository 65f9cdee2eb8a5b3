"""Pages of the matters app (thin: they call the verbs in ``sanbao.matters.actions`` and ``policy``)."""

"""Placeholders in a step's title and body, such as {product}: finding and filling them."""

import re

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def placeholders_in(text):
    """The names between braces in ``text``, in order of appearance, each once."""
    return list(dict.fromkeys(PLACEHOLDER.findall(text or "")))


def fill(text, values):
    """``text`` with each known ``{name}`` replaced by ``values[name]``."""

    def replace(match):
        name = match.group(1)
        return str(values[name]) if name in values else match.group(0)

    return PLACEHOLDER.sub(replace, text)

"""One line per demo step, saying what it created or that everything was already there."""


def counted(number, singular, plural=None):
    """Say "3 products" or "1 product"; none gives "", which summarise() leaves out."""
    if not number:
        return ""
    return f"{int(number)} {singular if number == 1 else plural or singular + 's'}"


def summarise(created, existing):
    created = [part for part in created if part]
    if created:
        return "created " + ", ".join(created)
    return f"already present ({existing})"

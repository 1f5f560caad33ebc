"""System checks of the web push settings: the VAPID keys and subject."""

from django.core.checks import Error, Warning

from omni_plugin.conf import SETTINGS, omni_settings

from .vapid import VapidError, check_pair, check_subject, load_private_key, load_public_key

NAMES = ("PUSH_VAPID_PUBLIC_KEY", "PUSH_VAPID_PRIVATE_KEY", "PUSH_VAPID_SUBJECT")
MAKE_A_PAIR = "set both to the one pair that manage.py omni_vapid_keys prints"


def check_vapid(app_configs, **kwargs):
    values = {name: getattr(omni_settings, name) for name in NAMES}
    if any(SETTINGS[name].validate(value) for name, value in values.items()):
        return []  # check_settings reports it
    public, private, subject = values.values()
    if not public and not private:
        return [
            Warning(
                "Web push is off because OMNI_PUSH_VAPID_PUBLIC_KEY and "
                f"OMNI_PUSH_VAPID_PRIVATE_KEY are empty: {MAKE_A_PAIR}.",
                id="omni.W015",
            )
        ]
    return _check_keys(public, private) + _check_subject(subject)


def _check_keys(public, private):
    if not public or not private:
        given, missing = ("PRIVATE", "PUBLIC") if private else ("PUBLIC", "PRIVATE")
        return [
            Error(
                f"OMNI_PUSH_VAPID_{given}_KEY is set but OMNI_PUSH_VAPID_{missing}_KEY is "
                f"empty: {MAKE_A_PAIR}.",
                id="omni.E013",
            )
        ]
    errors = []
    try:
        public_key = load_public_key(public)
    except VapidError as problem:
        errors.append(_key_error("PUBLIC", problem))
    try:
        private_key = load_private_key(private)
    except VapidError as problem:
        errors.append(_key_error("PRIVATE", problem))
    if errors:
        return errors
    try:
        check_pair(private_key, public_key)
    except VapidError:
        return [
            Error(
                "OMNI_PUSH_VAPID_PUBLIC_KEY is not the public key of "
                f"OMNI_PUSH_VAPID_PRIVATE_KEY, so browsers would refuse every push: {MAKE_A_PAIR}.",
                id="omni.E013",
            )
        ]
    return []


def _key_error(which, problem):
    return Error(
        f"OMNI_PUSH_VAPID_{which}_KEY cannot be used because {problem}: {MAKE_A_PAIR}.",
        id="omni.E013",
    )


def _check_subject(subject):
    try:
        check_subject(subject)
    except VapidError as problem:
        return [
            Error(
                f"OMNI_PUSH_VAPID_SUBJECT {subject!r} cannot be used because {problem}: set it "
                "to a mailto: address or an https: URL on your public domain, which Apple's "
                "push service requires.",
                id="omni.E014",
            )
        ]
    return []

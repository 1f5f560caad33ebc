"""The on-site notice: Oscar's ``Notification``, in the customer's account inbox."""

from django.contrib.auth import get_user_model
from django.utils.html import escape, format_html
from oscar.core.loading import get_class

from .base import SENT, Channel, Outcome

Dispatcher = get_class("communication.utils", "Dispatcher")


class OnSiteChannel(Channel):
    name = "onsite"
    label = "On-site notice"

    def reaching(self, profiles):
        user_ids = {profile.snapshot.get("user_id") for profile in profiles} - {None}
        active = set(
            get_user_model()
            .objects.filter(pk__in=user_ids, is_active=True)
            .values_list("pk", flat=True)
        )
        return {profile.pk for profile in profiles if profile.snapshot.get("user_id") in active}

    def send(self, message, profile, snapshot):
        content = message.content
        # Oscar shows a notice's subject and body as HTML: the texts are escaped here.
        if content["url"]:
            subject = format_html('<a href="{}">{}</a>', content["url"], content["title"])
        else:
            subject = escape(content["title"])
        Dispatcher().notify_user(_user(snapshot), subject, body=escape(content["body"]))
        return Outcome(SENT)


def _user(snapshot):
    user_id = snapshot.get("user_id")
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()

"""When each recipient gets a campaign: its send time, in their clock time if asked, and
never inside their quiet hours.

Times are computed per time zone, not per subscription: a campaign to a million browsers
in forty zones needs forty computations.
"""

from datetime import timedelta

from django.utils import timezone

from omni_plugin.geo.timezones import after_quiet_hours, zone

#: The earliest time zone (UTC+14) reaches a clock time this long before UTC does.
EARLIEST_OFFSET = timedelta(hours=14)


def fan_out_at(campaign, now):
    """When the campaign's deliveries must exist: its send time, earlier for local time."""
    if campaign.send_at is None:
        return now
    if campaign.local_time_delivery:
        return campaign.send_at - EARLIEST_OFFSET
    return campaign.send_at


def due_at(campaign, time_zone, now):
    """When a recipient in ``time_zone`` ("" for the site's) should get the campaign."""
    tz = zone(time_zone)
    moment = campaign.send_at or now
    if campaign.local_time_delivery and campaign.send_at is not None:
        clock = timezone.localtime(campaign.send_at).replace(tzinfo=None)
        moment = clock.replace(tzinfo=tz)
    moment = max(moment, now)
    return after_quiet_hours(moment, tz, campaign.quiet_hours_start, campaign.quiet_hours_end)

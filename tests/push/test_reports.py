"""Push reports: what became of a campaign's pushes, over time, and who may read them."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from omni_plugin.push.models import Campaign, Delivery
from omni_plugin.push.reports import campaign_report
from tests.conftest import admin_browser
from tests.push.shop import make_campaign, make_subscription

pytestmark = pytest.mark.django_db

REPORTS = "/cms/push-reports/"
CAMPAIGNS = "/cms/snippets/omni_push/campaign/"


@pytest.fixture
def staff():
    return admin_browser("staff", is_staff=True, is_superuser=True)


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def deliveries(campaign, count, status, sent=None, shown=None, clicked=None, **fields):
    """``count`` deliveries of the campaign; ``sent``, ``shown`` and ``clicked`` are times."""
    for _ in range(count):
        subscription = make_subscription(
            f"https://fcm.googleapis.com/fcm/send/{Delivery.objects.count()}-token"
        )
        Delivery.objects.create(
            campaign=campaign,
            subscription=subscription,
            status=status,
            sent_at=sent,
            shown_at=shown,
            clicked_at=clicked,
            **fields,
        )


def sent_campaign(started_hours_ago=3):
    """Sent 10 pushes: 8 delivered (6 shown, 2 clicked), 1 failed, 1 expired; 2 were skipped."""
    # On the hour, so that the first and the second hour's pushes fall in their own buckets.
    started = timezone.localtime() - timedelta(hours=started_hours_ago)
    started = started.replace(minute=0, second=0, microsecond=0)
    campaign = make_campaign(
        name="Spring sale", status=Campaign.Status.SENT, started_at=started, finished_at=started
    )
    first_hour, second_hour = started + timedelta(minutes=5), started + timedelta(minutes=65)
    deliveries(campaign, 2, "delivered", sent=first_hour, shown=first_hour, clicked=second_hour)
    deliveries(campaign, 4, "delivered", sent=first_hour, shown=first_hour)
    deliveries(campaign, 2, "delivered", sent=second_hour)
    deliveries(campaign, 1, "failed", sent=first_hour, reason="Push service error", http_status=500)
    deliveries(campaign, 1, "expired", sent=first_hour, reason="Gone", http_status=410)
    deliveries(campaign, 2, "skipped", reason="Over the frequency cap.")
    return campaign


def figure(html, label):
    found = re.search(rf'<th scope="row">{re.escape(label)}</th> ?<td>([^<]*)</td>', html)
    return found and found.group(1)


def test_the_report_adds_up_what_became_of_each_push(staff):
    campaign = sent_campaign()
    deliveries(make_campaign(name="Other"), 3, "delivered", sent=timezone.now())

    html = text(staff.get(f"{REPORTS}{campaign.pk}/"))

    assert "Report: Spring sale" in html
    expected = {
        "Sent": "10",
        "Delivered": "8",
        "Shown": "6",
        "Clicked": "2",
        "Failed": "1",
        "Expired subscriptions": "1",
        "Skipped": "2",
        "Waiting to be sent": "0",
        "Delivery rate (delivered per push sent)": "80.0 %",
        "Click-through (clicked per push delivered)": "25.0 %",
    }
    assert {label: figure(html, label) for label in expected} == expected


def test_the_report_charts_deliveries_and_clicks_per_hour_from_the_start(staff):
    campaign = sent_campaign()

    html = text(staff.get(f"{REPORTS}{campaign.pk}/"))

    assert "Delivered and clicked per hour" in html
    assert "<svg" in html and html.count("<polyline") == 2
    rows = re.findall(r'<tr> <th scope="row">[^<]+</th> <td>(\d+)</td><td>(\d+)</td> </tr>', html)
    assert len(rows) == 48
    assert rows[:3] == [("6", "0"), ("2", "2"), ("0", "0")]


def test_the_timeline_turns_daily_when_clicks_come_days_later():
    campaign = make_campaign(status=Campaign.Status.SENT, started_at=timezone.now())
    start = campaign.started_at
    deliveries(campaign, 3, "delivered", sent=start)
    deliveries(campaign, 1, "delivered", sent=start, clicked=start + timedelta(days=4))

    timeline = campaign_report(campaign).timeline

    assert not timeline.hourly
    assert len(timeline.starts) in (5, 6)  # four days on, maybe past one more midnight
    assert (timeline.delivered[0], sum(timeline.delivered)) == (4, 4)
    assert sum(timeline.clicked) == 1 and timeline.clicked[0] == 0


def test_a_report_takes_the_same_few_queries_however_many_pushes(django_assert_num_queries):
    campaign = sent_campaign()

    with django_assert_num_queries(4):
        campaign_report(campaign)


def test_the_failures_are_grouped_by_reason_and_http_status(staff):
    campaign = sent_campaign()
    deliveries(
        campaign, 2, "failed", sent=timezone.now(), reason="Push service error", http_status=500
    )

    html = text(staff.get(f"{REPORTS}{campaign.pk}/"))

    table = html[html.index("Not delivered") :]
    assert (
        '<th scope="row">Failed</th> <td>Push service error</td> <td>500</td> <td>3</td>' in table
    )
    assert (
        '<th scope="row">Skipped</th> <td>Over the frequency cap.</td> <td>–</td> <td>2</td>'
        in table
    )
    assert (
        '<th scope="row">Expired subscription</th> <td>Gone</td> <td>410</td> <td>1</td>' in table
    )


def test_a_campaign_not_started_has_an_empty_report_without_chart(staff):
    campaign = make_campaign(status=Campaign.Status.SCHEDULED)

    html = text(staff.get(f"{REPORTS}{campaign.pk}/"))

    assert (
        figure(html, "Sent") == "0"
        and figure(html, "Click-through (clicked per push delivered)") == "–"
    )
    assert "<polyline" not in html


def test_the_report_list_shows_each_campaigns_totals(staff):
    campaign = sent_campaign()
    make_campaign(name="Still a draft")

    html = text(staff.get(REPORTS))

    row = html[html.index(f'<a href="{REPORTS}{campaign.pk}/">') :]
    row = row[: row.index("</tr>")]
    cells = re.findall(r"<td>([^<]*)</td>", row)
    assert cells[0] == "Sent" and cells[2:] == ["10", "8", "80.0 %", "6", "2", "25.0 %", "1"]
    assert "Still a draft" not in html


def test_the_report_links_back_to_the_campaign(staff):
    campaign = sent_campaign()

    html = text(staff.get(f"{REPORTS}{campaign.pk}/"))

    assert f'href="{CAMPAIGNS}inspect/{campaign.pk}/"' in html
    assert f"{REPORTS}{campaign.pk}/" in text(staff.get(f"{CAMPAIGNS}inspect/{campaign.pk}/"))


def test_an_editor_without_campaign_permission_neither_sees_nor_opens_the_reports():
    campaign = sent_campaign()
    group = Group.objects.create(name="Cashiers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor = admin_browser("editor")
    get_user_model().objects.get(username="editor").groups.add(group)

    assert REPORTS not in editor.get("/cms/").content.decode()
    for url in (REPORTS, f"{REPORTS}{campaign.pk}/"):
        response = editor.get(url)
        assert (response.status_code, response.url) == (302, "/cms/")


def test_an_editor_who_may_view_campaigns_reads_the_reports():
    campaign = sent_campaign()
    group = Group.objects.create(name="Marketing")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_campaign"),
    )
    editor = admin_browser("marketer")
    get_user_model().objects.get(username="marketer").groups.add(group)

    assert REPORTS in editor.get("/cms/").content.decode()
    assert figure(text(editor.get(f"{REPORTS}{campaign.pk}/")), "Delivered") == "8"

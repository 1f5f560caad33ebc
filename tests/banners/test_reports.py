"""Banner reports: figures per variant and day, charts, the A/B verdict, who may read them."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.utils import timezone
from scipy.stats import chi2_contingency

from omni_plugin.banners.models import HOLDOUT, BannerStat
from omni_plugin.banners.reports import (
    VariantReport,
    banner_report,
    judge,
    period_days,
    two_proportion_p_value,
)
from omni_plugin.banners.tracking import click_url
from tests.banners.factories import make_banner, variant, variant_ids
from tests.conftest import admin_browser

pytestmark = pytest.mark.django_db

REPORTS = "/cms/banner-reports/"


@pytest.fixture
def staff():
    return admin_browser("staff", is_staff=True, is_superuser=True)


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def stat(banner, variant_id, impressions, clicks, orders=0, revenue="0", days_ago=0):
    return BannerStat.objects.create(
        banner=banner,
        variant=variant_id,
        day=timezone.localdate() - timedelta(days=days_ago),
        impressions=impressions,
        clicks=clicks,
        orders=orders,
        revenue=Decimal(revenue),
    )


def arm(name, impressions, clicks, orders=0):
    report = VariantReport(name, name)
    report.figures.impressions, report.figures.clicks, report.figures.orders = (
        impressions,
        clicks,
        orders,
    )
    return report


def test_the_two_proportion_test_matches_the_textbook():
    # Medication A leaves 20 of 200 patients with hives, B 12 of 200: z = 1.47, p = 0.1404.
    assert two_proportion_p_value(20, 200, 12, 200) == pytest.approx(0.1404, abs=5e-5)


def test_the_two_proportion_test_agrees_with_a_chi_square_test():
    table = [[80, 1000 - 80], [50, 1000 - 50]]
    chi_square_p = chi2_contingency(table, correction=False).pvalue

    assert two_proportion_p_value(80, 1000, 50, 1000) == pytest.approx(chi_square_p)
    assert two_proportion_p_value(0, 100, 0, 100) == 1.0
    assert two_proportion_p_value(0, 0, 5, 100) == 1.0


def test_the_best_arm_wins_against_the_holdout_and_the_runner_up():
    a, b, holdout = arm("A", 2000, 160), arm("B", 2000, 100), arm("Holdout", 2000, 80)

    verdict = judge([a, b], holdout, "ctr")

    assert verdict.winner is a
    assert verdict.message == "Winner: A (p < 0.001)"
    by_arm = {c.arm.name: c for c in verdict.comparisons}
    assert by_arm["A"].baseline is holdout and by_arm["A"].lift == pytest.approx(1.0)
    assert by_arm["B"].lift == pytest.approx(0.25)


def test_no_winner_while_an_arm_has_too_few_impressions():
    verdict = judge([arm("A", 99, 60), arm("B", 5000, 50)], None, "ctr")

    assert verdict.winner is None
    assert "at least 100 impressions" in verdict.message
    assert "(p < 0.001)" in verdict.message


def test_no_winner_when_the_difference_may_be_chance():
    verdict = judge([arm("A", 200, 20), arm("B", 200, 12)], None, "ctr")

    assert verdict.winner is None
    assert verdict.message == "No winner yet (p = 0.140)."


def test_without_a_holdout_each_arm_is_compared_with_the_best_other():
    a, b, c = arm("A", 1000, 30), arm("B", 1000, 90), arm("C", 1000, 60)

    verdict = judge([a, b, c], None, "ctr")

    assert {x.arm.name: x.baseline.name for x in verdict.comparisons} == {
        "A": "B",
        "B": "C",
        "C": "B",
    }
    assert verdict.winner is b


def test_conversion_counts_orders_per_impression():
    verdict = judge(
        [arm("A", 1000, 0, orders=40), arm("B", 1000, 0, orders=10)], None, "conversion"
    )

    assert verdict.winner.name == "A"


def ab_banner():
    banner = make_banner(
        "Hero test",
        variant("Red"),
        variant("Blue"),
        variant("Plain", fallback=True),
        choice="ab_test",
        holdout_percent=10,
    )
    ids = variant_ids(banner)
    stat(banner, ids["Red"], 1500, 120, orders=12, revenue="480.00", days_ago=1)
    stat(banner, ids["Red"], 1500, 123, orders=9, revenue="300.50")
    stat(banner, ids["Blue"], 3000, 150, orders=6, revenue="120.00")
    stat(banner, HOLDOUT, 3000, 90, orders=3, revenue="60.00")
    return banner


def test_the_report_of_a_banner_adds_up_per_variant():
    banner = ab_banner()

    report = banner_report(banner, period_days(7))

    figures = {v.name: v.figures for v in report.variants}
    assert (figures["Red"].impressions, figures["Red"].clicks) == (3000, 243)
    assert figures["Red"].revenue == Decimal("780.50")
    assert figures["Holdout (shown the fallback)"].clicks == 90
    assert report.totals.clicks == 243 + 150 + 90
    assert [v.winner.name for v in report.verdicts] == ["Red", "Red"]


def test_the_list_shows_each_banners_totals_over_the_period(staff):
    banner = ab_banner()
    stat(banner, variant_ids(banner)["Blue"], 1000, 999, days_ago=40)
    make_banner("Quiet", variant("A"))

    html = text(staff.get(REPORTS))
    row = html[html.index(f"{REPORTS}{banner.pk}/?days=30") : html.index("Quiet")]
    assert "Hero test" in row
    assert "<td>483</td>" in row and "<td>960.50</td>" in row
    assert "<td>1482</td>" in text(staff.get(f"{REPORTS}?days=90"))


def test_the_banner_page_shows_clicks_the_winner_and_charts(staff):
    banner = ab_banner()

    html = text(staff.get(f"{REPORTS}{banner.pk}/?days=7"))

    assert "Report: Hero test" in html
    red = html[html.index('<th scope="row">Red</th>') :]
    assert red.startswith('<th scope="row">Red</th> <td>3000</td> <td>243</td> <td>8.1 %</td>')
    assert "Winner: Red (p &lt; 0.001)" in html
    assert html.count("<svg") >= 3 and "<polyline" in html
    assert "Clicks per day" in html and "Click-through rate per day" in html


def test_a_priority_banner_has_no_ab_verdict(staff):
    banner = make_banner("Plain", variant("A"))
    stat(banner, variant_ids(banner)["A"], 500, 20)

    html = text(staff.get(f"{REPORTS}{banner.pk}/"))
    assert "<td>500</td> <td>20</td>" in html
    assert "A/B test" not in html and "No winner" not in html


def test_the_report_shows_a_click_a_visitor_just_made(staff, client):
    banner = make_banner("Hero", variant("A", content=("creative", {"link": "/shop/"})))
    url = click_url(RequestFactory().get("/"), banner.pk, variant_ids(banner)["A"], "/shop/")

    assert client.get(url).status_code == 302
    html = text(staff.get(f"{REPORTS}{banner.pk}/"))
    assert '<th scope="row">A</th> <td>0</td> <td>1</td>' in html


def test_an_editor_without_banner_permission_neither_sees_nor_opens_the_reports():
    banner = make_banner("Hero", variant("A"))
    group = Group.objects.create(name="Shop assistants")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor = admin_browser("editor")
    get_user_model().objects.get(username="editor").groups.add(group)

    assert REPORTS not in editor.get("/cms/").content.decode()
    for url in (REPORTS, f"{REPORTS}{banner.pk}/"):
        response = editor.get(url)
        assert (response.status_code, response.url) == (302, "/cms/")


def test_an_editor_who_may_view_banners_reads_the_reports():
    banner = make_banner("Hero", variant("A"))
    group = Group.objects.create(name="Marketing")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_banner"),
    )
    editor = admin_browser("marketer")
    get_user_model().objects.get(username="marketer").groups.add(group)

    assert REPORTS in editor.get("/cms/").content.decode()
    assert "Hero" in text(editor.get(f"{REPORTS}{banner.pk}/"))

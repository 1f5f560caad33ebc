"""How long a restock holds the stock save when many alerts wait: the plugin's alerts,
dispatched after the commit, against Oscar's eager alerts, sent inside the save.

    .venv/bin/python benchmarks/alerts.py [--alerts 10000]

Uses the sandbox's settings on a throwaway test database (DATABASE_URL picks PostgreSQL,
REDIS_URL a Redis cache), with Django's in-memory mail backend. Two products are sold out,
each with ``--alerts`` customers waiting by email: one with Oscar's ``ProductAlert`` sent
by Oscar's eager receiver (``OMNI_ALERTS_TAKE_OVER_OSCAR = False``), one with the plugin's
alerts. Each is restocked by saving its stock record in a transaction. Printed, measured
in the same run: the time inside the save for both, and the plugin's dispatch after the
commit, with the messages each sent.
"""

import argparse
import time

# isort: off
from harness import throwaway_database
from django.test import override_settings

# isort: on


def sold_out_product(title):
    from oscar.test.factories import create_product

    return create_product(title=title, price="12.50", num_in_stock=0)


def waiting_customers(count, prefix):
    """``count`` profiles holding an email address, in bulk."""
    from omni_plugin.core.models import Identifier, Profile

    profiles = Profile.objects.bulk_create(
        Profile(snapshot={"email": f"{prefix}{n}@example.com"}) for n in range(count)
    )
    Identifier.objects.bulk_create(
        Identifier(profile=profile, kind="email", value=profile.snapshot["email"])
        for profile in profiles
    )
    return profiles


def oscar_alerts(product, count):
    from oscar.core.loading import get_model

    ProductAlert = get_model("customer", "ProductAlert")
    ProductAlert.objects.bulk_create(
        ProductAlert(
            product=product,
            email=f"oscar{n}@example.com",
            key=f"{n:032d}",
            status=ProductAlert.ACTIVE,
        )
        for n in range(count)
    )


def plugin_alerts(product, count):
    from omni_plugin.stores.models import StockAlert

    StockAlert.objects.bulk_create(
        StockAlert(
            profile=profile,
            origin_profile=profile,
            product=product,
            channel=StockAlert.Channel.EMAIL,
            status=StockAlert.Status.ACTIVE,
        )
        for profile in waiting_customers(count, "omni")
    )


def restock(product):
    """Save the product's stock record with stock in a transaction: (seconds inside the
    save, seconds from the save's return to the commit's end, with what runs on commit)."""
    from django.db import transaction

    record = product.stockrecords.get()
    record.num_in_stock = 50
    started = time.perf_counter()
    with transaction.atomic():
        record.save()
        saved = time.perf_counter()
    return saved - started, time.perf_counter() - saved


def emails_to(prefix):
    from django.core import mail

    return sum(1 for email in mail.outbox if email.to[0].startswith(prefix))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=10_000)
    options = parser.parse_args()

    with (
        throwaway_database(),
        override_settings(
            OMNI_MESSAGING_QUIET_HOURS=None,
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ),
    ):
        from django.core import mail

        mail.outbox = []
        oscars = sold_out_product("Restocked with Oscar's alerts")
        oscar_alerts(oscars, options.alerts)
        plugins = sold_out_product("Restocked with the plugin's alerts")
        plugin_alerts(plugins, options.alerts)

        with override_settings(OMNI_ALERTS_TAKE_OVER_OSCAR=False):
            oscar_save, oscar_after = restock(oscars)
        plugin_save, plugin_after = restock(plugins)

        print(f"{options.alerts:,} alerts waiting on each product")
        print(
            f"Oscar's eager alerts: {oscar_save:.2f} s inside the stock save "
            f"({emails_to('oscar'):,} emails sent inside it)"
        )
        print(
            f"the plugin's alerts:  {plugin_save * 1000:.1f} ms inside the stock save; "
            f"dispatch after the commit {plugin_after:.2f} s ({emails_to('omni'):,} emails, "
            f"{options.alerts / plugin_after:,.0f} alerts/s)"
        )
        print(f"the stock save is held {oscar_save / plugin_save:,.0f}x shorter")


if __name__ == "__main__":
    main()

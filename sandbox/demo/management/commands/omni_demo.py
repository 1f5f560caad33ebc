from django.core.management.base import BaseCommand
from django.db import transaction

from sandbox.demo import customers
from sandbox.demo.steps import DEMO_STEPS


class Command(BaseCommand):
    help = (
        "Fills the demo shop with a catalogue, pages, customers and past orders, "
        "and prints the admin's credentials. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        for title, step in DEMO_STEPS:
            with transaction.atomic():
                self.stdout.write(f"{title}: {step()}")
        self.print_credentials()

    def print_credentials(self):
        self.stdout.write(self.style.SUCCESS("\nThe demo shop is ready."))
        self.stdout.write(
            "Sign in to the Wagtail admin (/cms/) and Oscar's dashboard (/shop/dashboard/) with:"
        )
        self.stdout.write(
            f"  email:    {customers.ADMIN_EMAIL} (or username: {customers.ADMIN_USERNAME})"
        )
        self.stdout.write(f"  password: {customers.admin_password()}")
        if not customers.admin_accepts_printed_password():
            self.stdout.write(
                self.style.WARNING(
                    "  The admin's password was changed after it was created and is left as it is."
                )
            )
        emails = ", ".join(customer.email for customer in customers.DEMO_CUSTOMERS)
        self.stdout.write(
            f"Demo customers ({emails}) sign in at /shop/accounts/login/ "
            f"with the password: {customers.CUSTOMER_PASSWORD}"
        )

"""The demo shop's admin and its customers, each customer with a default address."""

import os
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from oscar.core.loading import get_model

from .shipping import UNITED_KINGDOM
from .summary import counted, summarise

Country = get_model("address", "Country")
UserAddress = get_model("address", "UserAddress")
User = get_user_model()

ADMIN_USERNAME = "admin"
ADMIN_EMAIL = "admin@example.com"
DEFAULT_ADMIN_PASSWORD = "omni-demo-admin"
CUSTOMER_PASSWORD = "omni-demo-customer"


@dataclass(frozen=True)
class DemoCustomer:
    first_name: str
    last_name: str
    line1: str
    city: str
    postcode: str
    phone_number: str

    @property
    def username(self):
        return f"{self.first_name}.{self.last_name}".lower()

    @property
    def email(self):
        return f"{self.username}@example.com"


DEMO_CUSTOMERS = (
    DemoCustomer("Amelia", "Hughes", "14 Rosebery Avenue", "London", "EC1R 4TD", "+442079460301"),
    DemoCustomer("Oliver", "Bennett", "22 Deansgate", "Manchester", "M3 4LQ", "+441614960412"),
    DemoCustomer(
        "Priya", "Sharma", "8 Corporation Street", "Birmingham", "B2 4LP", "+441214960523"
    ),
    DemoCustomer("George", "Walker", "31 Park Row", "Leeds", "LS1 5HD", "+441134960634"),
    DemoCustomer("Isla", "Macdonald", "5 Rose Street", "Edinburgh", "EH2 2PR", "+441314960745"),
)


def admin_password():
    return os.environ.get("OMNI_DEMO_ADMIN_PASSWORD") or DEFAULT_ADMIN_PASSWORD


def _create_admin():
    """The superuser of the Wagtail admin and Oscar's dashboard; an existing one is left alone."""
    if User.objects.filter(username=ADMIN_USERNAME).exists():
        return False
    User.objects.create_superuser(
        username=ADMIN_USERNAME,
        email=ADMIN_EMAIL,
        password=admin_password(),
        first_name="Demo",
        last_name="Admin",
    )
    return True


def admin_accepts_printed_password():
    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    return admin is not None and admin.check_password(admin_password())


def _create_customers():
    new_customers = [
        customer
        for customer in DEMO_CUSTOMERS
        if not User.objects.filter(username=customer.username).exists()
    ]
    if new_customers:
        # Hashing is deliberately slow, and they all share one demo password: hash it once.
        password = make_password(CUSTOMER_PASSWORD)
        users = User.objects.bulk_create(
            User(
                username=customer.username,
                email=customer.email,
                first_name=customer.first_name,
                last_name=customer.last_name,
                password=password,
            )
            for customer in new_customers
        )
        country = Country.objects.get(iso_3166_1_a2=UNITED_KINGDOM)
        for user, customer in zip(users, new_customers, strict=True):
            UserAddress.objects.create(
                user=user,
                first_name=customer.first_name,
                last_name=customer.last_name,
                line1=customer.line1,
                line4=customer.city,
                postcode=customer.postcode,
                country=country,
                phone_number=customer.phone_number,
                is_default_for_shipping=True,
                is_default_for_billing=True,
            )
    return new_customers


def create_users():
    admin_created = _create_admin()
    customers_created = _create_customers()
    return summarise(
        [counted(admin_created, "admin user"), counted(len(customers_created), "customer")],
        existing=f"admin and {len(DEMO_CUSTOMERS)} customers",
    )


def demo_customers():
    """The customers' users, in the order of DEMO_CUSTOMERS."""
    users = User.objects.in_bulk(
        [customer.username for customer in DEMO_CUSTOMERS], field_name="username"
    )
    return [users[customer.username] for customer in DEMO_CUSTOMERS]

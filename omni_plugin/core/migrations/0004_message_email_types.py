"""One Oscar communication event type per built-in message intent.

Their templates are left unset (None), so Oscar renders the plugin's template files until
a shop writes its own in the dashboard's Emails section.
"""

from django.db import migrations

# The built-in intents when this migration was written, as (name, label).
INTENTS = [
    ("back_in_stock", "Back in stock"),
    ("ready_for_pickup", "Ready for pickup"),
    ("pickup_reminder", "Pickup reminder"),
    ("basket_left", "Basket left"),
    ("browse_left", "Browse left"),
    ("price_drop", "Price drop"),
    ("campaign", "Campaign"),
    ("win_back", "Win-back"),
]
USER_RELATED = "User related"


def code_of(name):
    return f"OMNI_{name.upper()}"


def create_event_types(apps, schema_editor):
    CommunicationEventType = apps.get_model("communication", "CommunicationEventType")
    for name, label in INTENTS:
        CommunicationEventType.objects.get_or_create(
            code=code_of(name),
            defaults={"name": f"Omni: {label}", "category": USER_RELATED},
        )


def delete_event_types(apps, schema_editor):
    CommunicationEventType = apps.get_model("communication", "CommunicationEventType")
    CommunicationEventType.objects.filter(code__in=[code_of(name) for name, _ in INTENTS]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("omni_plugin", "0003_journeys"),
        ("communication", "__first__"),
    ]

    operations = [migrations.RunPython(create_event_types, delete_event_types)]

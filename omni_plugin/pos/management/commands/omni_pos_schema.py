from django.core.management.base import BaseCommand

from omni_plugin.pos.schema import schema_yaml


class Command(BaseCommand):
    help = (
        "Print the POS API's OpenAPI schema (YAML), as /omni/pos/v1/schema/ serves it; "
        "the repository keeps it in docs/pos/openapi.yaml."
    )

    def handle(self, *args, **options):
        self.stdout.write(schema_yaml(), ending="")

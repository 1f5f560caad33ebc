"""The mock push service (tests/push/mock_service.py) in a process of its own, so that it
does not share the sender's CPU, and subscriptions of new profiles to it."""

import json
import subprocess
import sys
import urllib.request

from harness import ROOT


class PushServiceProcess:
    """The mock push service, served by ``python -m tests.push.mock_service``."""

    def __init__(self, public_key, latency=0.0):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.push.mock_service", "--public-key", public_key]
            + ["--latency", str(latency)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.origin = self.process.stdout.readline().strip()
        if not self.origin:
            raise RuntimeError("The mock push service did not start.")

    def received(self):
        """``(pushes received, CPU seconds used)`` so far."""
        with urllib.request.urlopen(f"{self.origin}/received") as response:
            answer = json.load(response)
        return answer["count"], answer["cpu_seconds"]

    def stop(self):
        self.process.terminate()
        self.process.wait()


def subscribe(profiles, origin):
    """A browser subscribed to the service for each profile; the subscriptions."""
    from omni_plugin.push.models import PushSubscription
    from tests.push.shop import browser_keys

    subscriptions = []
    for profile in profiles:
        keys = browser_keys()
        subscriptions.append(
            PushSubscription(
                profile=profile,
                endpoint=f"{origin}/push/browser-{profile.pk}",
                p256dh=keys["p256dh"],
                auth=keys["auth"],
                device=PushSubscription.Device.DESKTOP,
            )
        )
    PushSubscription.objects.bulk_create(subscriptions, batch_size=500)
    return list(PushSubscription.objects.filter(profile__in=profiles).order_by("pk"))

"""SMS backends: how texts leave the shop. ``OMNI_SMS_BACKEND`` names one.

A backend is a class with ``send(phone, text)`` that raises ``SMSError`` when the text
cannot be sent. The console backend (the default) writes texts to standard output; the
memory backend keeps them in ``outbox`` for tests. A shop writes one for its SMS gateway:

    class GatewayBackend(BaseSMSBackend):
        def send(self, phone, text):
            response = requests.post(GATEWAY, data={"to": phone, "text": text}, timeout=10)
            if response.status_code != 200:
                raise SMSError(response.text)
"""

import sys
import threading

from django.utils.module_loading import import_string

from ..conf import omni_settings

#: Texts the memory backend "sent", as ``(phone, text)``.
outbox = []
_outbox_lock = threading.Lock()


class SMSError(Exception):
    pass


class BaseSMSBackend:
    def send(self, phone, text):
        raise NotImplementedError


class ConsoleBackend(BaseSMSBackend):
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, phone, text):
        self.stream.write(f"SMS to {phone}: {text}\n")
        self.stream.flush()


class MemoryBackend(BaseSMSBackend):
    def send(self, phone, text):
        with _outbox_lock:
            outbox.append((phone, text))


def get_backend():
    return import_string(omni_settings.SMS_BACKEND)()

"""Messaging: every message to a customer, on whichever channel reaches them, as one voice.

``sending.send_message`` is the entry point; ``intents`` says what messages are for,
``policy`` holds the consent, cap and quiet-hours rules, ``channels`` the backends (web
push, email, on-site notice, SMS), ``journeys`` the sequences editors set up in the admin,
and ``tasks.dispatch_messages`` the work done every minute. docs/messaging.md has the rest.
"""

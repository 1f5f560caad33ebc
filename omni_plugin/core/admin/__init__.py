"""The "Customers" area of the Wagtail admin: read-only customer profiles, and the
actions staff take on them (undo a merge, export, erase)."""

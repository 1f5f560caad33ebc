"""Push services the push tests send to: an in-process mock and web-push-testing."""

class MessagingError(ValueError):
    """A message cannot be sent as asked; the text says why. Nothing was recorded."""

"""The Telegram assistant: one module per conversation, wired in `application`."""

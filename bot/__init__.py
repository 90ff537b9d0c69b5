"""Adapters and wiring: the CLI, the Telegram bot, the sandbox and, later, the dashboard."""

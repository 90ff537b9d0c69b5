"""A local Telegram Bot API emulator: the real bot talks HTTP to it, tests and the sandbox play users."""

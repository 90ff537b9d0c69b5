"""The sandbox: the real bot, the local Bot API emulator and a web chat page, on localhost."""

"""The application core every adapter starts from: settings, the clock, the wiring and the runtime."""

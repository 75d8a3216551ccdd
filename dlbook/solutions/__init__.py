"""Reference solutions of the exercises, one module per chapter (each solution lives here once)."""

"""The catalog, one module per area of the app."""

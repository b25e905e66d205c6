"""Test data, one module per app: factories (factory_boy) and helpers that build
through the services, as the portal does."""

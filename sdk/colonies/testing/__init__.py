"""Test kit for ColonyOS users: fixtures and runners (see docs/testing.md)."""

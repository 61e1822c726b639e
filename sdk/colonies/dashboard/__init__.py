"""A live, read-only web dashboard of a colony's blueprints (``colonies-sdk dashboard``)."""

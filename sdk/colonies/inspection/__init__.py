"""How people inspect blueprints: one desired-against-observed model behind the dashboard and
the ``get``, ``describe``, ``wait`` and ``history`` commands."""

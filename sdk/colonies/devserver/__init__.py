"""An embedded, ColonyOS-compatible dev server (see docs/devserver.md).

``with DevServer() as server: boot = server.bootstrap("home")`` gives a running server with a
colony, a user and an approved executor; point any ColonyOS client at ``server.url``.
"""

from colonies.devserver.bootstrap import Bootstrap
from colonies.devserver.runner import DevServer
from colonies.devserver.settings import DevServerSettings

__all__ = ["Bootstrap", "DevServer", "DevServerSettings"]

import os

from django.core.asgi import get_asgi_application

from councilarchive.ops.dbfail import limit_web_statements

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilarchive.settings")
application = get_asgi_application()
# Web requests get DB_STATEMENT_TIMEOUT_MS (management commands and the worker do not).
limit_web_statements()

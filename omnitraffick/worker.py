"""The Celery app with OmniTraffick's configuration, for `celery -A omnitraffick.worker`.

`make worker` (`flask worker`) is the documented way to start a worker; this module lets
Celery's own command line (e.g. `celery -A omnitraffick.worker inspect active`) find it.
"""

from . import create_app
from .jobs import celery

app = create_app()

__all__ = ["app", "celery"]

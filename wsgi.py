"""WSGI entry point: `gunicorn wsgi:app`."""

from omnitraffick import create_app

app = create_app()

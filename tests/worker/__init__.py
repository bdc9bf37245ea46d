"""The worker lane: real Celery workers send tickets through Redis (make test-worker)."""

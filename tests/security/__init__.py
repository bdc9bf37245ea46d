"""Hardening: bad input, an unreachable database, security headers, health checks."""

"""HTML blueprints, one per entity. Views parse input, call a service, render."""

"""The checks app's models, one module per concept (runs and findings; the duplicate index)."""

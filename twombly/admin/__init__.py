"""The owner's moderation pages at /admin/ and the login that guards them."""

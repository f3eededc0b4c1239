"""The public site: pages, feeds, metadata, theme helpers, errors and security headers."""

"""Search: the Pagefind index of the published posts (frozen copy and live server) and the
server's own ranked answer to `/search/?q=` for readers without JavaScript."""

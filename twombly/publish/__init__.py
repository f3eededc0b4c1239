"""Publishing by push: git hooks that check a push, update the site's working copy and freeze."""

"""The site's content: pages/ loaded by Flask-FlatPages, the Post model and the catalog."""

"""`flask comments import`: comments from WordPress (WXR), Disqus (XML) and Isso (SQLite)."""

"""Images: the site's pictures as responsive WebP copies, made once per version of a file."""

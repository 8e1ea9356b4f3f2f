class CatalogueError(Exception):
    """A catalogue use case refused: the message (translated) says what to fix."""

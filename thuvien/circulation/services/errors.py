class CirculationError(Exception):
    """A desk use case refused: the message (translated) says what to fix."""

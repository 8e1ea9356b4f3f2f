from thuvien.circulation.services.errors import CirculationError

__all__ = ["CirculationError"]

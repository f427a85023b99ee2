"""Arabic diplomacy and counter-terrorism knowledge graphs."""

__version__ = "0.1.0"

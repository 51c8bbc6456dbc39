"""The version of `sim`, in one place (the package metadata reads it too)."""

__version__ = "0.2.0"

"""Monitoring and evaluation of the Jinkouhe Women's Development Outline 2021–2030.

Importing the package loads and checks the indicator catalog, so a broken catalog shows at once:
``analysis.CATALOG`` holds the 纲要's domains, goals and indicators.
"""

from analysis.catalog import CATALOG, Catalog, CatalogError, load_catalog

__version__ = "0.1.0"

__all__ = ["CATALOG", "Catalog", "CatalogError", "load_catalog", "__version__"]
